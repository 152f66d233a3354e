#!/usr/bin/env bash
# orch-tui's own CPU per agent event in a run of 10 Claude Code agents at once, each the real
# `claude` CLI against the scripted model (which answers at once: a Bash tool call, then a final
# text). A permission rule allows Bash, so no one has to decide. orch-tui's utime+stime (its own,
# not its children's) is read from /proc while the run lasts; the events are counted in the
# run's recording.
#
# Usage: benches/claude_fleet_cpu.sh [path/to/orch-tui]   (default: target/release/orch-tui)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "${1:-target/release/orch-tui}")
CLI_BIN=$(realpath target/agent-clis/node_modules/.bin)
WORK=$(mktemp -d)
trap 'kill "$API" 2>/dev/null || true; rm -rf "$WORK"' EXIT

cargo build --quiet --example scripted-claude-api
target/debug/examples/scripted-claude-api "$WORK/made.txt" >"$WORK/api.out" &
API=$!
for _ in $(seq 100); do grep -q ANTHROPIC_BASE_URL "$WORK/api.out" && break; sleep 0.1; done
export "$(grep ANTHROPIC_BASE_URL "$WORK/api.out")"
export ANTHROPIC_API_KEY=offline HOME="$WORK" PATH="$CLI_BIN:$PATH"

{
  printf '[workflow]\nname = "fleet"\nunit = "minutes"\n\n[settings]\nmax_parallel = 10\n\n'
  printf '[[settings.permissions]]\ntool = "Bash"\ndecision = "allow"\n\n'
  for i in $(seq 10); do
    printf '[[agents]]\nid = "dev%s"\nrole = "dev"\nkind = "claude"\n' "$i"
    printf 'env = ["PATH", "HOME", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL"]\ntimeout = "5m"\n\n'
    printf '[[tasks]]\nid = "t%s"\nrole = "dev"\nestimate = 1\nprompt = "Make the file."\n\n' "$i"
  done
} >"$WORK/fleet.toml"

"$BIN" run "$WORK/fleet.toml" --headless --record "$WORK/run.jsonl" >"$WORK/run.out" 2>&1 &
RUN=$!
TICKS=0
while STAT=$(cat "/proc/$RUN/stat" 2>/dev/null) && [ "$(echo "$STAT" | awk '{print $3}')" != Z ]; do
  TICKS=$(echo "$STAT" | awk '{print $14 + $15}')
  sleep 0.02
done
wait "$RUN" || { cat "$WORK/run.out"; exit 1; }
tail -n 3 "$WORK/run.out"
HZ=$(getconf CLK_TCK)
EVENTS=$(($(wc -l <"$WORK/run.jsonl") - 1))
AGENT_EVENTS=$(grep -c '"agent_' "$WORK/run.jsonl" || true)
awk -v t="$TICKS" -v hz="$HZ" -v e="$EVENTS" -v a="$AGENT_EVENTS" 'BEGIN {
  ms = t * 1000 / hz
  printf "10 agents: orch-tui used %.0f ms of CPU for %d recorded events (%d agent_* events): %.2f ms per event\n", ms, e, a, ms / e
}'
