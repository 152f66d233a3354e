#!/usr/bin/env bash
# Real agents against make: the same DAG of 1,000 tasks, each running `true`, on 2 workers —
# orch-tui headless with 2 command agents, and `make -j2` on a Makefile of the same graph. Both
# are generated here, timed the same way (wall time of the whole command, best of 5 rounds that
# each run both), and the ratio is printed.
#
#   cargo build --release && benches/agents_vs_make.sh [TASKS]
#
# ORCH_TUI names the binary (default: target/release/orch-tui, or $CARGO_TARGET_DIR's).
set -euo pipefail
tasks=${1:-1000}
bin=${ORCH_TUI:-${CARGO_TARGET_DIR:-target}/release/orch-tui}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The graph: task i depends on up to 3 of the 50 tasks before it (seeded, so both get the same).
python3 - "$tasks" "$work" <<'PY'
import random, sys
n, work = int(sys.argv[1]), sys.argv[2]
rng = random.Random(7)
deps = [sorted(set(rng.randrange(max(0, i - 50), i) for _ in range(rng.randint(0, 3)))) if i else []
        for i in range(n)]
with open(f"{work}/dag.toml", "w") as f:
    f.write('[workflow]\nname = "dag"\nunit = "minutes"\n\n[settings]\nmax_parallel = 2\n\n')
    for a in ("w1", "w2"):
        f.write(f'[[agents]]\nid = "{a}"\nrole = "w"\nkind = "command"\nargv = ["true"]\nenv = ["PATH"]\n\n')
    for i, d in enumerate(deps):
        on = ", ".join(f'"t{j}"' for j in d)
        f.write(f'[[tasks]]\nid = "t{i}"\nrole = "w"\nestimate = "1s"\ndepends_on = [{on}]\n\n')
with open(f"{work}/Makefile", "w") as f:
    f.write(".PHONY: all " + " ".join(f"t{i}" for i in range(n)) + "\n")
    f.write("all: " + " ".join(f"t{i}" for i in range(n)) + "\n")
    for i, d in enumerate(deps):
        f.write(f"t{i}: " + " ".join(f"t{j}" for j in d) + "\n\ttrue\n")
PY

# Wall time of a command in seconds.
wall() {
  local start end
  start=$(date +%s.%N)
  "$@" > /dev/null
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { print b - a }'
}

# The smaller of two times (the first when there is no second yet).
best() {
  if [ -z "$2" ] || awk -v t="$1" -v b="$2" 'BEGIN { exit !(t < b) }'; then echo "$1"; else echo "$2"; fi
}

# Five rounds, each timing both, so that a busy moment of the machine weighs on both alike.
orch="" make=""
for _ in 1 2 3 4 5; do
  orch=$(best "$(wall "$bin" run "$work/dag.toml" --headless --no-record --json)" "$orch")
  make=$(best "$(wall make -s -j2 -C "$work" all)" "$make")
done
printf 'tasks: %s on 2 workers, each running `true`\n' "$tasks"
printf 'orch-tui headless: %.3fs\n' "$orch"
printf 'make -j2:          %.3fs\n' "$make"
printf 'ratio:             %.2fx\n' "$(awk -v a="$orch" -v b="$make" 'BEGIN { print a / b }')"
