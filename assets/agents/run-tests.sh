#!/usr/bin/env bash
# A plain test script that knows nothing of the agent protocol: its lines become log lines and
# its exit status decides. It reads the workspace from the context package on stdin.
set -euo pipefail
read -r context
workspace=$(printf '%s' "$context" | python3 -c 'import json, sys; print(json.load(sys.stdin)["task"]["context"]["workspace"])')
cd "$workspace"
echo "running wordcount on sample.txt"
./wordcount < sample.txt > actual.txt
diff -u expected.txt actual.txt
echo "1 test passed"
