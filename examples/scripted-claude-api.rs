//! Serves the scripted Anthropic Messages API that orch-tui's tests drive the real Claude Code
//! with, so that a coding-agent workflow can be tried offline: run it, point
//! `ANTHROPIC_BASE_URL` at the address it prints, set any `ANTHROPIC_API_KEY`, and run a workflow
//! of `claude` agents. Every turn asks to run Bash (`touch FILE`), then answers with a short final
//! text. Stop it with Ctrl-C.
//!
//! `cargo run --example scripted-claude-api [FILE]` (FILE defaults to `made-by-claude.txt` in the
//! current folder).

#[path = "../tests/common/scripted_api.rs"]
mod scripted_api;

fn main() {
    let file = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "made-by-claude.txt".into());
    let file = std::path::absolute(&file).unwrap_or_else(|_| file.into());
    let api = scripted_api::ScriptedApi::start(&file);
    println!("ANTHROPIC_BASE_URL={}", api.url);
    println!("The scripted model asks to run: touch {}", file.display());
    let mut served = 0;
    loop {
        std::thread::sleep(std::time::Duration::from_secs(1));
        let now = api.bodies().len();
        if now != served {
            served = now;
            println!("{served} model requests served");
        }
    }
}
