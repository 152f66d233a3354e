#!/usr/bin/env bash
# An instant run against make on the same graph: `workflow_gen SHAPE TASKS 4` makes the
# workflow, a Makefile of the same targets and dependencies with empty recipes is derived from
# it (so make, like an instant run, only walks the graph and starts nothing), and both are timed
# by hyperfine: `orch-tui run --headless --instant --no-record --json` against `make -j4`.
#
#   cargo build --release && cargo build --example workflow_gen && benches/instant_vs_make.sh chain 100000
#
# ORCH_TUI names the binary (default: target/release/orch-tui, or $CARGO_TARGET_DIR's).
set -euo pipefail
shape=${1:-chain}
tasks=${2:-100000}
target=${CARGO_TARGET_DIR:-target}
bin=${ORCH_TUI:-$target/release/orch-tui}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$target/debug/examples/workflow_gen" "$shape" "$tasks" 4 > "$work/graph.toml"
python3 - "$work" <<'PY'
import re, sys
work = sys.argv[1]
text = open(f"{work}/graph.toml").read()
tasks = re.findall(r'\[\[tasks\]\]\nid = "([^"]+)"\n(?:.*\n)*?depends_on = \[([^\]]*)\]', text)
with open(f"{work}/Makefile", "w") as f:
    names = [t for t, _ in tasks]
    f.write(".PHONY: all " + " ".join(names) + "\nall: " + " ".join(names) + "\n")
    for t, deps in tasks:
        on = " ".join(re.findall(r'"([^"]+)"', deps))
        f.write(f"{t}: {on} ;\n")
PY
hyperfine -N -w 1 -r 5 \
  "$bin run $work/graph.toml --headless --instant --no-record --json" \
  "make -s -j4 -C $work all"
