#!/usr/bin/env bash
# Attaching to a run of a million events: how long `orch-tui attach RUN` takes to show the
# dashboard, and the viewer's peak memory.
#
# Starts a background run (`orch-tui run FILE --detach --speed 4096 --decide person
# --no-record`) of a random 20,000-task workflow on 64 agents reporting progress every 2% (the
# replay bench's run), whose last task raises a blocker for a person half way: every other task
# ends, and the run waits with 1,039,977 events. Then, ATTACHES times (default 7), opens
# `orch-tui attach RUN` in a new tmux window of 200x50 and polls the screen every 5 ms until
# the dashboard's header shows (`LIVE`): the time from starting the window to that screen, the
# viewer's CPU time (utime + stime) by then and its peak memory (VmHWM), from /proc. It detaches
# each viewer (D) before the next.
#
# Usage: cargo build --release --bin orch-tui --example workflow_gen
#        benches/control_attach.sh [ATTACHES] [TASKS]
set -euo pipefail

attaches=${1:-7}
tasks=${2:-20000}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/target/release/orch-tui
gen=$root/target/release/examples/workflow_gen
for f in "$bin" "$gen"; do
    [[ -x $f ]] || { echo "missing $f: cargo build --release --bin orch-tui --example workflow_gen" >&2; exit 2; }
done

work=$(mktemp -d)
export XDG_RUNTIME_DIR=$work/xdg
mkdir -m 700 "$XDG_RUNTIME_DIR"
server=orch-attach-$$
id=
cleanup() {
    tmux -L "$server" kill-server 2>/dev/null || true
    [[ -n $id ]] && "$bin" stop "$id" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

last=$((tasks - 1))
"$gen" random "$tasks" 64 'progress_step = 2' > "$work/million.toml"
cat >> "$work/million.toml" <<EOF
[[blockers]]
id = "last-call"
task = "t$last"
at = 50
severity = "high"
title = "Ship it?"
recommended = 1
options = [{ label = "Ship" }, { label = "Hold" }]
EOF

id=$("$bin" run "$work/million.toml" --detach --speed 4096 --decide person --no-record 2>/dev/null)
printf 'run %s: ' "$id"
# The run waits when every task but the last has ended and its blocker is open.
until "$bin" status "$id" --json 2>/dev/null | grep -q "\"finished\": $last,"; do sleep 0.5; done
until "$bin" status "$id" --json 2>/dev/null | grep -q '"last-call"'; do sleep 0.2; done
events=$(python3 - "$XDG_RUNTIME_DIR/orch-tui/$id.sock" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(b'{"type":"hello","protocol":"orch-tui-control","version":1,"watch":true}\n')
events = 0
for line in s.makefile("rb"):
    if line.startswith(b'{"type":"live"'):
        break
    events += line.startswith(b'{"event"')
print(events)
PY
)
echo "waiting for a person with $events events"

tmux -L "$server" new-session -d -s bench -x 200 -y 50 'sleep 100000'
times=()
for ((i = 1; i <= attaches; i++)); do
    start=$EPOCHREALTIME
    read -r pane pid < <(tmux -L "$server" new-window -d -P -F '#{pane_id} #{pane_pid}' "exec $bin attach $id")
    until tmux -L "$server" capture-pane -p -t "$pane" 2>/dev/null | head -1 | grep -q LIVE; do
        sleep 0.005
    done
    end=$EPOCHREALTIME
    ms=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", (b - a) * 1000 }')
    hwm=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status")
    cpu=$(awk -v tick="$(getconf CLK_TCK)" '{ printf "%.0f", ($14 + $15) * 1000 / tick }' "/proc/$pid/stat")
    times+=("$ms")
    echo "attach $i: dashboard shown after $ms ms; the viewer's CPU time by then $cpu ms, its peak memory $((hwm / 1024)) MB"
    tmux -L "$server" send-keys -t "$pane" D
    # Gone when its window is (the process may linger as tmux's zombie a while).
    while tmux -L "$server" list-panes -a -F '#{pane_id}' | grep -qx "$pane"; do sleep 0.05; done
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
echo "median of $attaches: $median ms (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
