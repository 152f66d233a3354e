#!/usr/bin/env bash
# Compiles the word counter. The first attempt fails (a flaky build host), which the run retries;
# the count of attempts is kept in a file in the workspace.
set -euo pipefail
read -r context
workspace=$(printf '%s' "$context" | python3 -c 'import json, sys; print(json.load(sys.stdin)["task"]["context"]["workspace"])')
cd "$workspace"
attempts=$(( $(cat .build-attempts 2>/dev/null || echo 0) + 1 ))
echo "$attempts" > .build-attempts
echo '{"type":"progress","pct":10,"note":"compiler found"}'
if [ "$attempts" -eq 1 ]; then
  echo "the build host is busy (attempt $attempts); giving up this time" >&2
  exit 75
fi
cc -O2 -Wall -o wordcount wordcount.c
echo '{"type":"progress","pct":100,"note":"linked"}'
size=$(wc -c < wordcount)
echo "{\"type\":\"result\",\"summary\":\"wordcount built ($size bytes) on attempt $attempts\"}"
