#!/usr/bin/env python3
"""Reviews the binary: its symbols make it bigger than it needs to be, so it asks whether to
strip them and waits for the decision before acting on it."""

import os
import subprocess
from protocol import ask, context, log, progress, result

ctx = context()
workspace = ctx["task"]["context"]["workspace"]
binary = os.path.join(workspace, "wordcount")
size = os.path.getsize(binary)
progress(30, "binary inspected")
choice = ask(
    "strip-symbols", f"wordcount is {size} bytes with its symbols", "medium",
    [
        {"label": "Strip the symbols", "pros": "smaller binary",
         "cons": "no symbols in a debugger", "timeline": "a second"},
        {"label": "Ship as built", "pros": "debuggable", "cons": "bigger binary"},
    ],
    recommended=1, category="SIZE", impact="the size of what ships",
)
if choice == 1:
    subprocess.run(["strip", binary], check=True)
    log(f"stripped: {size} -> {os.path.getsize(binary)} bytes")
else:
    log("kept the symbols")
progress(100, "reviewed")
result(f"review: option {choice}; wordcount is {os.path.getsize(binary)} bytes")
