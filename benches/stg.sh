#!/usr/bin/env bash
# Schedule quality on the stg50 benchmark (180 graphs of 50 tasks, optima for 2, 4, 8 and 16
# processors): builds the release binary once, then imports and runs every graph on every
# agent count through the command line and compares the makespans with the optima, next to a
# baseline that starts whatever is ready in file order. Usage: benches/stg.sh [STG50_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin orch-tui --example stg_bench
target="${CARGO_TARGET_DIR:-target}"
"$target/release/examples/stg_bench" --bin "$target/release/orch-tui" "$@"
