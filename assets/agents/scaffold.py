#!/usr/bin/env python3
"""Writes a tiny C project into the workspace: a word counter, its test input and the expected
output. It starts the workspace afresh, so the builder's count of attempts starts at zero."""

import os
from protocol import context, log, progress, result

ctx = context()
workspace = ctx["task"]["context"]["workspace"]
os.makedirs(workspace, exist_ok=True)
for stale in (".build-attempts", "wordcount", "actual.txt", "REPORT.md"):
    if os.path.exists(os.path.join(workspace, stale)):
        os.remove(os.path.join(workspace, stale))

files = {
    "wordcount.c": r'''#include <stdio.h>
#include <ctype.h>

/* Counts lines, words and bytes of stdin, like wc. */
int main(void) {
    long lines = 0, words = 0, bytes = 0;
    int c, in_word = 0;
    while ((c = getchar()) != EOF) {
        bytes++;
        if (c == '\n') lines++;
        if (isspace(c)) in_word = 0;
        else if (!in_word) { in_word = 1; words++; }
    }
    printf("%ld %ld %ld\n", lines, words, bytes);
    return 0;
}
''',
    "sample.txt": "the quick brown fox\njumps over\nthe lazy dog\n",
    "expected.txt": "3 9 44\n",
}
for i, (name, text) in enumerate(sorted(files.items()), start=1):
    with open(os.path.join(workspace, name), "w") as f:
        f.write(text)
    log(f"wrote {name} ({len(text)} bytes)")
    progress(100 * i // len(files), name)
result(f"{len(files)} files in {workspace}: wordcount.c, sample.txt, expected.txt")
