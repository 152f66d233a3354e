//! Snapshot tests of what coding agents do and spend, drawn with ratatui's `TestBackend`: the
//! header with the run's dollars and tokens, the agents panel with the current tool call
//! (shortened, its escape sequences removed), turns, tokens and cost, and progress from the
//! todo list or a spinner; the task details with the last tool calls and the prompt the agent
//! was given (the task's own, or the one built from it and what its dependencies handed over);
//! and the metrics view with its tokens and dollars columns.

mod common;

use common::parse;
use insta::assert_snapshot;
use orch_tui::engine::agent_io::{Activity, AgentReport, Exit, Usage};
use orch_tui::engine::{DecideMode, Engine, RunOptions};
use orch_tui::ui::panels::{agents, details, header, metrics};
use orch_tui::ui::theme::{Palette, Theme};
use orch_tui::ui::view::{Mode, View};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::widgets::Block;
use std::sync::Arc;

const WORKFLOW: &str = r#"
[workflow]
name = "coding"
unit = "minutes"

[settings.prices."gpt-test"]
input = 2.0
cached = 0.5
output = 10.0

[[agents]]
id = "dev1"
name = "Claude"
role = "dev"
kind = "command"
argv = ["./agent"]

[[agents]]
id = "dev2"
name = "Codex"
role = "dev"
kind = "command"
argv = ["./agent"]

[[tasks]]
id = "A"
name = "Parser"
agent = "dev1"
estimate = "10m"

[[tasks]]
id = "B"
name = "Lexer"
agent = "dev2"
estimate = "10m"
"#;

/// A: a coding agent on its third turn, running `cargo test` (with a colour escape in it),
/// one of four todo items done, after an edit; B: tokens only, no todo list.
fn engine() -> Engine {
    let options = RunOptions {
        seed: None,
        decide: DecideMode::Person,
        stamp_wall: false,
    };
    let mut e = Engine::new(Arc::new(parse(WORKFLOW)), &options).expect("it plans");
    e.start();
    e.catch_up(90_000);
    let activity = |e: &mut Engine, task: &str, a: Activity| {
        assert!(e.report(task, 1, AgentReport::Activity(a)));
    };
    activity(
        &mut e,
        "A",
        Activity::Session {
            id: "sess-42".into(),
        },
    );
    activity(
        &mut e,
        "A",
        Activity::ToolCall {
            id: "1".into(),
            tool: "Edit".into(),
            input: "src/lib.rs".into(),
        },
    );
    activity(
        &mut e,
        "A",
        Activity::ToolResult {
            id: "1".into(),
            ok: true,
            output: "applied\n2 hunks".into(),
        },
    );
    activity(
        &mut e,
        "A",
        Activity::ToolCall {
            id: "2".into(),
            tool: "Bash".into(),
            input: "cargo test \u{1b}[31m--lib\u{1b}[0m".into(),
        },
    );
    activity(&mut e, "A", Activity::Turn { turns: 3 });
    activity(&mut e, "A", Activity::Todo { done: 1, total: 4 });
    e.report(
        "A",
        1,
        AgentReport::Usage(Usage {
            input_tokens: 12_000,
            output_tokens: 1_500,
            cached_tokens: 8_000,
            cost_usd: Some(0.042),
            model: None,
        }),
    );
    e.report(
        "B",
        1,
        AgentReport::Usage(Usage {
            input_tokens: 300_000,
            output_tokens: 20_000,
            cached_tokens: 0,
            cost_usd: None,
            model: Some("gpt-test".into()),
        }),
    );
    e
}

fn render(width: u16, height: u16, f: &dyn Fn(&mut ratatui::Frame)) -> String {
    let mut t = Terminal::new(TestBackend::new(width, height)).expect("a test terminal");
    t.draw(|frame| f(frame)).expect("drawing never fails");
    t.backend().to_string()
}

const THEME: Theme = Theme {
    color: true,
    palette: Palette::Dark,
};

#[test]
fn header_and_agents_panel_show_tool_calls_turns_tokens_and_cost() {
    let e = engine();
    let state = e.state();
    let view = View {
        state,
        mode: Mode::Live,
        clock_ms: state.now_ms,
        estimate_ms: 10 * 60_000,
        speed: "1m/1s".into(),
        scrubber: None,
        log_lines: None,
    };
    let top = render(120, 2, &|f| header::render(f, f.area(), &view, THEME));
    // $0.042 reported + 0.3M × $2 + 0.02M × $10 = $0.842
    assert!(top.contains("$0.8420 · 333.5k tok"), "{top}");
    assert_snapshot!("spend_header", top);

    let panel = render(100, 6, &|f| {
        agents::render(
            f,
            f.area(),
            Block::bordered().title(" Agents "),
            state,
            state.now_ms,
            None,
            THEME,
        )
    });
    assert!(panel.contains("Bash: cargo test ^[[31m--lib"), "{panel}");
    assert!(!panel.contains('\u{1b}'), "no escape reaches the screen");
    assert!(panel.contains("1/4 todo"), "{panel}");
    assert!(panel.contains("3 turns"), "{panel}");
    assert!(
        panel.contains("running"),
        "B has no todo list: a spinner\n{panel}"
    );
    assert_snapshot!("spend_agents", panel);
}

#[test]
fn details_list_the_last_tool_calls_and_metrics_the_spend() {
    let e = engine();
    let state = e.state();
    let a = state.task_index("A").unwrap();
    let popup = render(110, 30, &|f| {
        details::render(f, f.area(), a, state, state.now_ms, THEME)
    });
    assert!(popup.contains("last tool calls"), "{popup}");
    assert!(
        popup.contains("✓ Edit src/lib.rs → applied 2 hunks"),
        "{popup}"
    );
    assert!(popup.contains("sess-42"), "{popup}");
    assert_snapshot!("spend_details", popup);

    let view = render(100, 5, &|f| {
        metrics::render(
            f,
            f.area(),
            Block::bordered().title(" Metrics "),
            state,
            state.now_ms,
            None,
            THEME,
        )
    });
    assert!(view.contains("$0.0420") && view.contains("$0.80"), "{view}");
    assert_snapshot!("spend_metrics", view);
}

const PROMPTS: &str = r#"
[workflow]
name = "prompts"
unit = "minutes"

[[agents]]
id = "dev1"
role = "dev"
kind = "claude"

[[tasks]]
id = "fix"
name = "Fix the parser"
agent = "dev1"
estimate = "10m"
prompt = "Fix the failing test in src/parse.rs.\nKeep the public API as it is."

[[tasks]]
id = "review"
name = "Review the fix"
description = "Read the change and say what is wrong with it."
agent = "dev1"
estimate = "10m"
depends_on = ["fix"]
"#;

#[test]
fn details_show_the_prompt_a_coding_agent_was_given() {
    let options = RunOptions {
        seed: None,
        decide: DecideMode::Person,
        stamp_wall: false,
    };
    let mut e = Engine::new(Arc::new(parse(PROMPTS)), &options).expect("it plans");
    e.start();
    let details_of = |e: &Engine, task: &str| {
        let state = e.state();
        let t = state.task_index(task).expect("the task is in the workflow");
        render(100, 24, &|f| {
            details::render(f, f.area(), t, state, state.now_ms, THEME)
        })
    };
    let written = details_of(&e, "fix");
    let at = |text: &str| {
        written
            .lines()
            .position(|l| l.contains(text))
            .unwrap_or_else(|| panic!("{text:?} is not shown:\n{written}"))
    };
    let (heading, first, second) = (
        at("prompt"),
        at("  Fix the failing test in src/parse.rs."),
        at("  Keep the public API as it is."),
    );
    assert!(
        heading < first && first + 1 == second,
        "the task's prompt, line by line, under its heading:\n{written}"
    );
    assert_snapshot!("prompt_details", written);

    assert!(e.report(
        "fix",
        1,
        AgentReport::Result {
            summary: "Fixed \u{1b}[31mparse_number\u{1b}[0m.".into(),
        }
    ));
    assert!(e.report("fix", 1, AgentReport::Exited(Exit::Succeeded)));
    let built = details_of(&e, "review");
    for line in [
        "Your task: Review the fix",
        "Read the change and say what is wrong with it.",
        "## From task `fix`",
        "Fixed ^[[31mparse_number^[[0m.",
    ] {
        assert!(built.contains(line), "{line:?} is not shown:\n{built}");
    }
    assert!(!built.contains('\u{1b}'), "no escape reaches the screen");
}
