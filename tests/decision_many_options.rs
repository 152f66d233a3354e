//! A blocker with more options than digit keys: every option is reachable and choosable. The
//! panel scrolls to the option under the cursor, digits are typed and taken by Enter (12 is
//! 1, 2, Enter), the arrows move the cursor and Enter takes it, a number past the last option is
//! refused saying what to type, and the footer says what the keys do; once decided, the panel
//! scrolls to the chosen option. Drawn with `TestBackend`
//! (snapshots) and driven in a real terminal (tmux), where the recording shows option 12 chosen
//! by the user.

mod common;

use common::tmux::{BIN, Tmux, quoted, recorded_events};
use insta::assert_snapshot;
use orch_tui::engine::{DecideMode, Engine, RunOptions};
use orch_tui::ui::app::{App, Intent, Overlay};
use orch_tui::ui::draw::draw;
use orch_tui::ui::keys::Action;
use orch_tui::ui::theme::{Palette, Theme};
use orch_tui::ui::view::{Mode, View};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::fmt::Write;
use std::sync::Arc;
use std::time::Duration;

/// One task whose blocker at half way offers `count` options, the third recommended.
fn workflow(count: usize) -> String {
    let mut text = String::from(
        "[workflow]\nname = \"many\"\n\n[[agents]]\nid = \"eng1\"\nrole = \"engineer\"\n\n[[tasks]]\nid = \"B\"\nrole = \"engineer\"\nestimate = 2\n\n[[blockers]]\nid = \"pick\"\ntask = \"B\"\nseverity = \"high\"\ntitle = \"Which vendor?\"\nrecommended = 3\n",
    );
    for k in 1..=count {
        let _ = write!(
            text,
            "\n[[blockers.options]]\nlabel = \"Vendor {k}\"\npros = \"pro {k}\"\n"
        );
    }
    text
}

fn blocked(count: usize) -> Engine {
    let w = common::parse(&workflow(count));
    let options = RunOptions {
        seed: None,
        decide: DecideMode::Person,
        stamp_wall: false,
    };
    let mut e = Engine::new(Arc::new(w), &options).expect("valid");
    e.start();
    e.run_to_end();
    assert_eq!(e.state().open_blockers().count(), 1, "the blocker waits");
    e
}

fn app_with_panel(e: &Engine) -> App {
    let mut app = App::new(
        Theme {
            color: true,
            palette: Palette::Dark,
        },
        false,
    );
    let b = e.state().blocker_index("pick").expect("the blocker");
    app.open_decision(b, Vec::new());
    app
}

fn screen(e: &Engine, app: &mut App, width: u16, height: u16) -> String {
    let state = e.state();
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("a test terminal");
    let view = View {
        state,
        mode: Mode::Live,
        clock_ms: state.now_ms,
        estimate_ms: state.estimated_makespan_ms,
        speed: "1h/4s".into(),
        scrubber: None,
        log_lines: None,
    };
    terminal.draw(|f| draw(f, app, &view)).expect("drawn");
    terminal.backend().to_string()
}

fn decide(option: usize) -> Intent {
    Intent::Decide {
        blocker: "pick".into(),
        option,
    }
}

#[test]
fn digits_then_enter_choose_an_option_past_nine() {
    let e = blocked(15);
    let mut app = app_with_panel(&e);
    assert_eq!(app.handle(Action::Choose(1), e.state()), Intent::Nothing);
    assert!(
        matches!(app.overlay, Some(Overlay::Decision(_))),
        "1 waits for a second digit"
    );
    assert_eq!(app.handle(Action::Choose(2), e.state()), Intent::Nothing);
    assert_eq!(app.handle(Action::Open, e.state()), decide(12));
}

#[test]
fn a_number_past_the_last_option_is_refused_and_erase_takes_a_digit_back() {
    let e = blocked(15);
    let mut app = app_with_panel(&e);
    app.handle(Action::Choose(1), e.state());
    app.handle(Action::Choose(6), e.state());
    let toast = app
        .toast
        .as_ref()
        .map(|(t, _)| t.clone())
        .unwrap_or_default();
    assert_eq!(toast, "there is no option 16; type 1 to 15, then Enter");
    app.handle(Action::Choose(1), e.state());
    app.handle(Action::Choose(4), e.state());
    app.handle(Action::Erase, e.state());
    assert_eq!(app.handle(Action::Open, e.state()), decide(1));
}

#[test]
fn arrows_then_enter_choose_starting_from_the_recommendation() {
    let e = blocked(15);
    let mut app = app_with_panel(&e);
    for _ in 0..12 {
        app.handle(Action::Down, e.state());
    }
    app.handle(Action::Up, e.state());
    assert_eq!(app.handle(Action::Open, e.state()), decide(14));
    let mut app = app_with_panel(&e);
    for _ in 0..20 {
        app.handle(Action::Down, e.state());
    }
    assert_eq!(
        app.handle(Action::Open, e.state()),
        decide(15),
        "stops at the last"
    );
    let mut app = app_with_panel(&e);
    assert_eq!(
        app.handle(Action::Open, e.state()),
        decide(3),
        "the recommendation"
    );
}

#[test]
fn up_to_nine_options_a_digit_still_chooses_at_once() {
    let e = blocked(5);
    let mut app = app_with_panel(&e);
    assert_eq!(app.handle(Action::Choose(4), e.state()), decide(4));
    let mut app = app_with_panel(&e);
    app.handle(Action::Down, e.state());
    assert_eq!(app.handle(Action::Open, e.state()), decide(4));
}

#[test]
fn the_panel_scrolls_to_the_option_under_the_cursor() {
    let e = blocked(15);
    let mut app = app_with_panel(&e);
    let first = screen(&e, &mut app, 80, 24);
    assert!(first.contains("▶3  Vendor 3"), "{first}");
    assert!(first.contains("type 1-15, Enter"), "{first}");
    assert!(!first.contains("Vendor 12"), "{first}");
    assert_snapshot!("many_options_start_80x24", first);
    app.handle(Action::Choose(1), e.state());
    app.handle(Action::Choose(2), e.state());
    let typed = screen(&e, &mut app, 80, 24);
    assert!(typed.contains("▶12  Vendor 12"), "{typed}");
    assert!(typed.contains("typed 12"), "{typed}");
    assert!(typed.contains("Enter choose 12"), "{typed}");
    assert_snapshot!("many_options_typed_12_80x24", typed);
    for _ in 0..5 {
        app.handle(Action::Down, e.state());
    }
    let last = screen(&e, &mut app, 80, 24);
    assert!(last.contains("▶15  Vendor 15"), "{last}");
    assert!(
        last.contains("↕ rows"),
        "the border says which rows show:\n{last}"
    );
}

#[test]
fn once_decided_the_panel_shows_the_chosen_option_however_far_down() {
    let mut e = blocked(15);
    e.decide("pick", 12, orch_tui::engine::Actor::User)
        .expect("option 12 exists");
    let mut app = app_with_panel(&e);
    let text = screen(&e, &mut app, 80, 24);
    assert!(text.contains("12  Vendor 12  ✔ chosen"), "{text}");
    assert!(
        !text.contains("▶12  Vendor") && !text.contains("▶3  Vendor"),
        "no cursor once decided:\n{text}"
    );
}

#[test]
fn option_twelve_of_fifteen_is_chosen_by_keystroke_in_a_real_terminal() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("many.toml");
    std::fs::write(&file, workflow(15)).expect("written");
    let tmux = Tmux::start("many-options", 80, 24, |dir| {
        format!(
            "{BIN} run {} --record {} --speed 4",
            quoted(&file),
            quoted(&dir.join("run.jsonl"))
        )
    });
    let wait = Duration::from_secs(30);
    tmux.wait_for("waits for a person", wait);
    tmux.send("n");
    let panel = tmux.wait_for("Decision: pick", wait);
    assert!(panel.contains("type 1-15, Enter"), "{panel}");
    tmux.send("1");
    tmux.send("2");
    let typed = tmux.wait_for("▶12  Vendor 12", wait);
    assert!(typed.contains("Enter choose 12"), "{typed}");
    tmux.send("Enter");
    tmux.wait_for("option 12 \"Vendor 12\" chosen", wait);
    tmux.wait_for("Run succeeded", wait);
    tmux.send("q");
    assert_eq!(tmux.exit_code(wait), 0);
    let events = recorded_events(&tmux.path("run.jsonl"));
    let decision = events
        .iter()
        .find(|e| e["kind"] == "decision_made")
        .expect("the decision is recorded");
    assert_eq!(decision["option"], 12);
    assert_eq!(decision["label"], "Vendor 12");
    assert_eq!(decision["by"], "user");
}
