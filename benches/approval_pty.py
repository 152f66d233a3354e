#!/usr/bin/env python3
"""Measures key to the agent's stdin for an approval, in the live dashboard in a pseudo-terminal.

A chain of 20 tasks runs on a command agent that raises a PERMISSION blocker (Bash wants
`rm -rf build`) and waits. For each, the decision panel is opened with `n`, then `1` (Allow once)
is written to the terminal; the agent notes the moment the decision line arrives on its stdin.
The time between the write of the key and that arrival (both on the system's monotonic clock) is
the figure; median and max are printed.

Usage: benches/approval_pty.py [path/to/orch-tui]   (default: target/release/orch-tui)
"""
import os
import pty
import shutil
import select
import signal
import statistics
import struct
import sys
import tempfile
import time
import fcntl
import termios

BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "target/release/orch-tui")
ROUNDS = 20

AGENT = r'''
import json, sys, time
ctx = json.loads(sys.stdin.readline())
task = ctx["task"]["id"]
out = sys.argv[1]
print(json.dumps({"type": "blocker", "id": "perm-" + task, "title": "Bash wants to run rm -rf build",
      "severity": "high", "kind": "PERMISSION", "tool": "Bash", "input": "rm -rf build",
      "options": [{"label": "Allow once"}, {"label": "Allow for the rest of this task"}, {"label": "Deny"}],
      "recommended": 3}), flush=True)
with open(out, "a") as f:
    f.write("asked %s\n" % task)
line = sys.stdin.readline()
arrived = time.monotonic()
with open(out, "a") as f:
    f.write("heard %s %.9f %s\n" % (task, arrived, line.strip()))
print(json.dumps({"type": "result", "summary": "done"}), flush=True)
'''


def workflow(folder, marks):
    agent = os.path.join(folder, "asker.py")
    with open(agent, "w") as f:
        f.write(AGENT)
    lines = [
        '[workflow]\nname = "approvals"\nunit = "seconds"\n',
        '[settings.escalation]\npolicy_decides = []\n',
        '[[agents]]\nid = "asker"\nrole = "work"\nkind = "command"\n'
        f'argv = ["python3", "{agent}", "{marks}"]\nenv = ["PATH"]\ntimeout = "5m"\n',
    ]
    for i in range(1, ROUNDS + 1):
        deps = f'depends_on = ["t{i - 1}"]\n' if i > 1 else ""
        lines.append(f'[[tasks]]\nid = "t{i}"\nrole = "work"\nestimate = "1s"\n{deps}')
    path = os.path.join(folder, "approvals.toml")
    with open(path, "w") as f:
        f.write("\n".join(lines))
    return path


def drain(fd):
    """Reads what the dashboard drew; answers cursor-position queries."""
    while True:
        ready, _, _ = select.select([fd], [], [], 0)
        if not ready:
            return
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return
        if b"\x1b[6n" in chunk:
            os.write(fd, b"\x1b[1;1R")


def wait_for(marks, word, task, fd, timeout=20.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        drain(fd)
        if os.path.exists(marks):
            for line in open(marks):
                parts = line.split()
                if parts[:2] == [word, task]:
                    return parts
        time.sleep(0.002)
    sys.exit(f"timed out waiting for `{word} {task}`")


def main():
    folder = tempfile.mkdtemp(prefix="approvals-")
    marks = os.path.join(folder, "marks.txt")
    config = workflow(folder, marks)
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["HOME"] = folder
        os.execv(BIN, [BIN, "run", config, "--no-record"])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    latencies = []
    try:
        for i in range(1, ROUNDS + 1):
            task = f"t{i}"
            wait_for(marks, "asked", task, fd)
            end = time.monotonic() + 0.3  # let the dashboard show the blocker
            while time.monotonic() < end:
                drain(fd)
                time.sleep(0.01)
            os.write(fd, b"n")
            end = time.monotonic() + 0.2
            while time.monotonic() < end:
                drain(fd)
                time.sleep(0.01)
            pressed = time.monotonic()
            os.write(fd, b"1")
            heard = wait_for(marks, "heard", task, fd)
            latencies.append((float(heard[2]) - pressed) * 1000)
    finally:
        os.write(fd, b"q")
        time.sleep(0.3)
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
        shutil.rmtree(folder, ignore_errors=True)
    ms = sorted(latencies)
    print(f"key to the agent's stdin, {len(ms)} approvals: median {statistics.median(ms):.2f} ms, "
          f"max {ms[-1]:.2f} ms, min {ms[0]:.2f} ms")


main()
