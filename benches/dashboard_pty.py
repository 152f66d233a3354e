#!/usr/bin/env python3
"""Measures the live dashboard in a pseudo-terminal, as a person would meet it.

- Keystroke to updated screen: press `?` (help opens) and Esc (it closes), timing each from the
  write of the key to the frame that shows the change (the run is paused, so nothing else draws).
- CPU of a paused dashboard: pause with space, then read the process's CPU time from /proc over
  10 seconds.

Usage: benches/dashboard_pty.py [path/to/orch-tui]   (default: target/release/orch-tui)
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

BIN = sys.argv[1] if len(sys.argv) > 1 else "target/release/orch-tui"
CONFIG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "config", "analytics-dashboard.toml")


def spawn():
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(BIN, [BIN, "run", CONFIG, "--no-record", "--speed", "0.01"])
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


def main():
    pid, fd = spawn()
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
