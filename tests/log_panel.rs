//! The log panel: the lines the live dashboard traces for notable events show in tui-logger's
//! widget, wrapped to the panel. Its own test binary, because the logger is global to a
//! process and other dashboard snapshots must not see these lines.

use insta::assert_snapshot;
use orch_tui::engine::describe::describe;
use orch_tui::engine::{DecideMode, Engine, RunOptions};
use orch_tui::ui::panels::log;
use orch_tui::ui::theme::{Palette, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::widgets::Block;
use std::sync::Arc;

#[test]
fn log_panel_shows_what_was_traced() {
    orch_tui::ui::init_logging();
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/config/analytics-dashboard.toml"
    ))
    .expect("the analytics scenario is part of the repository");
    let w = orch_tui::workflow::parse(&text, "analytics-dashboard.toml").expect("valid");
    let options = RunOptions {
        seed: None,
        decide: DecideMode::Recommended,
        stamp_wall: false,
    };
    let mut e = Engine::new(Arc::new(w), &options).expect("plannable");
    e.start();
    e.run_to_end();
    let lines: Vec<String> = e
        .drain()
        .iter()
        .filter_map(|ev| describe(ev, e.state()))
        .take(6)
        .collect();
    for line in &lines {
        tracing::info!(target: "run", "{line}");
    }
    tui_logger::move_events();
    let state = tui_logger::TuiWidgetState::new();
    let theme = Theme {
        color: true,
        palette: Palette::Dark,
    };
    let mut t = Terminal::new(TestBackend::new(100, 10)).expect("a test terminal");
    t.draw(|f| log::render(f, f.area(), Block::bordered().title(" Log "), &state, theme))
        .expect("drawing never fails");
    let screen = t.backend().to_string();
    assert!(
        screen.contains("run started: analytics-dashboard"),
        "{screen}"
    );
    assert_snapshot!("panel_log", screen);
}
