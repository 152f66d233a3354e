#!/usr/bin/env bash
# Real agents against make: the same DAG of 1,000 tasks, each running `true`, on 2 workers —
# orch-tui headless with 2 command agents, and `make -j2` on a Makefile of the same graph. Both
# are generated here, timed the same way (wall time of the whole command, best of 3), and the
# ratio is printed.
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

# Wall time of a command in seconds, best of 3.
best_of_3() {
  local best=""
  for _ in 1 2 3; do
    local start end took
    start=$(date +%s.%N)
    "$@" > /dev/null
    end=$(date +%s.%N)
    took=$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')
    if [ -z "$best" ] || awk -v t="$took" -v b="$best" 'BEGIN { exit !(t < b) }'; then best=$took; fi
  done
  printf '%.3f' "$best"
}

orch=$(best_of_3 "$bin" run "$work/dag.toml" --headless --no-record --json)
make=$(best_of_3 make -s -j2 -C "$work" all)
printf 'tasks: %s on 2 workers, each running `true`\n' "$tasks"
printf 'orch-tui headless: %ss\n' "$orch"
printf 'make -j2:          %ss\n' "$make"
printf 'ratio:             %.2fx\n' "$(awk -v a="$orch" -v b="$make" 'BEGIN { print a / b }')"
