#!/usr/bin/env python3
"""Measures the live dashboard in a pseudo-terminal, as a person would meet it.

- Keystroke to updated screen: press `?` (help opens) and Esc (it closes), timing each from the
  write of the key to the frame that shows the change (the run is paused, so nothing else draws).
- CPU of a paused dashboard: pause with space, then read the process's CPU time from /proc over
  10 seconds.

Usage: benches/dashboard_pty.py [path/to/orch-tui]   (default: target/release/orch-tui)

With `--waiting TASKS` it measures instead a dashboard awaiting a person on a TASKS-task linear
chain (from `examples/workflow_gen.rs`, built by `cargo build --example workflow_gen`; WORKFLOW_GEN names another) whose first
task raises a blocker: CPU over 20 seconds of waiting (the clock and the expected finish move on
every 250 ms), then `?` timed 40 times from its write to the help on screen.
"""
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import sys
import termios
import time

ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
WAITING = int(sys.argv[sys.argv.index("--waiting") + 1]) if "--waiting" in sys.argv else None
if WAITING is not None:
    ARGS.remove(str(WAITING))
BIN = ARGS[0] if ARGS else "target/release/orch-tui"
CONFIG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "config", "analytics-dashboard.toml")
BLOCKER = """
[[blockers]]
id = "hold-for-person"
task = "t0"
at = 50
severity = "high"
title = "Waiting for a person"
options = [{ label = "Go on" }]
"""


def spawn(args):
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(BIN, [BIN, "run", *args])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    return pid, fd


def read_until(fd, needle, timeout=10.0):
    """Reads output until `needle` appears; answers cursor-position queries on the way."""
    seen = b""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if not ready:
            continue
        chunk = os.read(fd, 65536)
        if b"\x1b[6n" in chunk:
            os.write(fd, b"\x1b[1;1R")
        seen += chunk
        if chunk and needle in seen:
            return time.monotonic()
    raise SystemExit(f"timed out waiting for {needle!r}")


def drain(fd):
    while select.select([fd], [], [], 0.2)[0]:
        os.read(fd, 65536)


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def waiting(tasks):
    """A dashboard awaiting a person on a chain of `tasks` tasks: its CPU, then keystrokes."""
    import subprocess
    import tempfile
    gen = os.environ.get("WORKFLOW_GEN", "target/debug/examples/workflow_gen")
    text = subprocess.run([gen, "chain", str(tasks), "4"], check=True, capture_output=True, text=True).stdout
    with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as f:
        f.write(text + BLOCKER)
    pid, fd = spawn([f.name, "--no-record", "--speed", "60"])
    read_until(fd, b"hold-for-person", timeout=60)
    time.sleep(1)
    drain(fd)
    before, t0 = cpu_seconds(pid), time.monotonic()
    end = t0 + 20
    while time.monotonic() < end:  # keep reading, as a terminal would
        if select.select([fd], [], [], 0.2)[0]:
            os.read(fd, 65536)
    used, wall = cpu_seconds(pid) - before, time.monotonic() - t0
    print(f"awaiting a person on {tasks} tasks: {used:.3f} s of CPU in {wall:.1f} s = "
          f"{100 * used / wall:.2f}% of one core")
    samples = []
    for _ in range(40):
        drain(fd)
        start = time.monotonic()
        os.write(fd, b"?")
        samples.append(read_until(fd, b"Keys") - start)
        os.write(fd, b"\x1b")
    ms = sorted(s * 1000 for s in samples)
    print(f"keystroke to screen: median {statistics.median(ms):.2f} ms, "
          f"p95 {ms[int(len(ms) * 0.95) - 1]:.2f} ms, max {ms[-1]:.2f} ms over {len(ms)} keys")
    os.kill(pid, signal.SIGTERM)
    os.waitpid(pid, 0)
    os.unlink(f.name)


def main():
    if WAITING is not None:
        return waiting(WAITING)
    pid, fd = spawn([CONFIG, "--no-record", "--speed", "0.01"])
    read_until(fd, b"LIVE")
    os.write(fd, b" ")  # pause, so only our keys change the screen
    read_until(fd, b"PAUSED")
    drain(fd)
    samples = []
    for _ in range(40):
        start = time.monotonic()
        os.write(fd, b"?")
        samples.append(read_until(fd, b"Keys") - start)
        drain(fd)
        start = time.monotonic()
        os.write(fd, b"\x1b")
        # Paused, nothing else changes: the first output after the key is its frame.
        samples.append(read_until(fd, b"") - start)
        drain(fd)
    ms = sorted(s * 1000 for s in samples)
    print(f"keystroke to screen: median {statistics.median(ms):.2f} ms, "
          f"p95 {ms[int(len(ms) * 0.95) - 1]:.2f} ms, max {ms[-1]:.2f} ms over {len(ms)} keys")

    drain(fd)
    before, t0 = cpu_seconds(pid), time.monotonic()
    time.sleep(10)
    used, wall = cpu_seconds(pid) - before, time.monotonic() - t0
    print(f"paused dashboard: {used:.3f} s of CPU in {wall:.1f} s = {100 * used / wall:.2f}% of one core")
    os.kill(pid, signal.SIGTERM)
    os.waitpid(pid, 0)


if __name__ == "__main__":
    main()
