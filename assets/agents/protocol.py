"""The agent protocol for Python agents: read the context package, report progress, logs,
messages, blockers and the result as JSON lines, and wait for a decision on stdin.
See docs/agent-protocol.md."""

import json
import sys


def context():
    """The context package: the first line on stdin."""
    return json.loads(sys.stdin.readline())


def send(message):
    print(json.dumps(message), flush=True)


def progress(pct, note=None):
    send({"type": "progress", "pct": pct, "note": note})


def log(text, level="info"):
    send({"type": "log", "level": level, "text": text})


def result(summary):
    send({"type": "result", "summary": summary})


def ask(blocker_id, title, severity, options, recommended=1, **report):
    """Raises a blocker and waits for the decision; returns the chosen option (1-based)."""
    send({"type": "blocker", "id": blocker_id, "title": title, "severity": severity,
          "options": options, "recommended": recommended, **report})
    for line in sys.stdin:
        message = json.loads(line)
        if message.get("type") == "decision" and message.get("blocker") == blocker_id:
            return message["option"]
    sys.exit("stdin closed before a decision on " + blocker_id)
