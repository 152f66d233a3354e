//! Messages and handoffs per agent, on the analytics scenario run to its end: a handoff names
//! both ends and concerns the sending and the receiving agent only; the state keeps each
//! agent's latest messages (to it by id or by role, or from it); a task's details list its
//! agent's messages; with the agents panel focused, the log follows the selected agent.

mod common;

use common::{config, run_events};
use orch_tui::engine::DecideMode;
use orch_tui::engine::EventBody;
use orch_tui::engine::concerns::concerned_agents;
use orch_tui::ui::app::{App, Focus, Overlay};
use orch_tui::ui::draw::draw;
use orch_tui::ui::theme::{Palette, Theme};
use orch_tui::ui::view::{Mode, View};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn analytics() -> String {
    std::fs::read_to_string(config("analytics-dashboard.toml")).expect("the scenario exists")
}

#[test]
fn handoffs_concern_both_ends_and_show_in_the_task_details() {
    let (engine, events) = run_events(&analytics(), DecideMode::Recommended, None);
    let state = engine.state();
    let eng1 = state.agent_index("eng1").expect("eng1");
    let eng3 = state.agent_index("eng3").expect("eng3");
    let handoff = events
        .iter()
        .find(|e| {
            matches!(&e.body, EventBody::Message { from, to, text }
                if from == "eng1" && to == "eng3" && text.starts_with("handoff A → C"))
        })
        .expect("A hands its output to C's agent");
    let mut concerned = concerned_agents(handoff, state);
    concerned.sort_unstable();
    assert_eq!(concerned, vec![eng1, eng3]);

    let of_eng3 = state.messages_of(eng3, 10);
    assert!(
        of_eng3.iter().any(|m| m.text.contains("handoff A → C")),
        "{of_eng3:?}"
    );
    assert!(
        of_eng3.iter().all(|m| m.text.contains("eng3")),
        "only its own messages: {of_eng3:?}"
    );

    let c = state.task_index("C").expect("C");
    let mut app = App::new(
        Theme {
            color: false,
            palette: Palette::Dark,
        },
        false,
    );
    app.overlay = Some(Overlay::Details(c));
    let mut t = Terminal::new(TestBackend::new(140, 50)).expect("a test terminal");
    let view = View {
        state,
        mode: Mode::Finished,
        clock_ms: state.now_ms,
        estimate_ms: 0,
        speed: "1h/s".into(),
        scrubber: None,
        log_lines: None,
    };
    t.draw(|f| draw(f, &mut app, &view)).expect("draws");
    let screen = t.backend().to_string();
    assert!(screen.contains("messages of eng3"), "{screen}");
    assert!(screen.contains("eng1 → eng3: handoff A → C"), "{screen}");

    app.overlay = None;
    app.focus = Focus::Agents;
    app.selected_agent = eng3;
    assert_eq!(
        app.log_agent(),
        Some(eng3),
        "the log follows the selected agent"
    );
    t.draw(|f| draw(f, &mut app, &view)).expect("draws");
    assert!(t.backend().to_string().contains("Log · eng3"));
}
