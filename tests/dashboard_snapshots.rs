//! Snapshot tests of the dashboard drawn with ratatui's `TestBackend`: the whole screen at
//! 120x40 and 80x24, and each panel on its own, for the analytics scenario at four moments of
//! its run — the start, the ws-leak blocker open, its decision panel, and the finish after
//! option 1 was chosen by a person; also the agent metrics view of the finished run and the
//! add-task form showing a refused dependency cycle.

use insta::assert_snapshot;
use orch_tui::engine::{Actor, DecideMode, Engine, RunOptions, State};
use orch_tui::ui::app::App;
use orch_tui::ui::draw::draw;
use orch_tui::ui::keys::KeyMap;
use orch_tui::ui::theme::{Palette, Theme};
use orch_tui::ui::view::{Mode, View};
use orch_tui::workflow;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::Arc;

fn engine() -> Engine {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/config/analytics-dashboard.toml"
    ))
    .expect("the analytics scenario is part of the repository");
    let w = workflow::parse(&text, "analytics-dashboard.toml")
        .expect("the analytics scenario is valid");
    let options = RunOptions {
        seed: None,
        decide: DecideMode::Person,
        stamp_wall: false,
    };
    let mut engine =
        Engine::new(Arc::new(w), &options).expect("the analytics scenario can be planned");
    engine.start();
    engine
}

/// The engine stepped until the ws-leak blocker is open.
fn blocked() -> Engine {
    let mut e = engine();
    while e.state().open_blockers().next().is_none() && e.step() {}
    assert!(
        e.state().open_blockers().next().is_some(),
        "the ws-leak blocker opens"
    );
    e
}

fn finished() -> Engine {
    let mut e = blocked();
    e.decide("ws-leak", 1, Actor::User)
        .expect("option 1 exists");
    e.run_to_end();
    assert!(e.is_finished());
    e
}

fn screen(state: &State, app: &mut App, mode: Mode, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("a test terminal");
    let view = View {
        state,
        mode,
        clock_ms: state.now_ms,
        estimate_ms: state.estimated_makespan_ms,
        speed: "1h/4s".into(),
        scrubber: None,
        log_lines: None,
    };
    terminal
        .draw(|f| draw(f, app, &view))
        .expect("drawing never fails");
    terminal.backend().to_string()
}

fn app() -> App {
    App::new(
        Theme {
            color: true,
            palette: Palette::Dark,
        },
        false,
    )
}

#[test]
fn whole_screen_at_start() {
    let e = engine();
    assert_snapshot!(
        "start_120x40",
        screen(e.state(), &mut app(), Mode::Live, 120, 40)
    );
    assert_snapshot!(
        "start_80x24",
        screen(e.state(), &mut app(), Mode::Live, 80, 24)
    );
}

#[test]
fn whole_screen_with_blocker_open() {
    let e = blocked();
    let text = screen(e.state(), &mut app(), Mode::Live, 120, 40);
    assert!(
        text.contains("HIGH ws-leak"),
        "the banner names the blocker"
    );
    assert!(text.contains("waits for a person"));
    assert_snapshot!("blocker_120x40", text);
    assert_snapshot!(
        "blocker_80x24",
        screen(e.state(), &mut app(), Mode::Live, 80, 24)
    );
}

#[test]
fn decision_panel() {
    let e = blocked();
    let b = e
        .state()
        .blocker_index("ws-leak")
        .expect("the blocker is in the state");
    let projections: Vec<Option<u64>> = (1..=3).map(|o| e.project("ws-leak", o)).collect();
    assert!(
        projections.iter().all(Option::is_some),
        "every option has a projected finish"
    );
    for (width, height) in [(120, 40), (80, 24)] {
        let mut a = app();
        a.open_decision(b, projections.clone());
        let text = screen(e.state(), &mut a, Mode::Live, width, height);
        assert!(text.contains("Upgrade to ws v9.0.0"));
        assert!(text.contains("recommended"));
        assert_snapshot!(format!("decision_{width}x{height}"), text);
    }
}

#[test]
fn finished_with_summary() {
    let e = finished();
    for (width, height) in [(120, 40), (80, 24)] {
        let mut a = app();
        a.on_finished();
        let text = screen(e.state(), &mut a, Mode::Finished, width, height);
        assert!(text.contains("Run succeeded"));
        assert_snapshot!(format!("finished_{width}x{height}"), text);
    }
}

#[test]
fn each_panel_alone() {
    use orch_tui::ui::panels::{agents, alerts, header, timeline};
    use ratatui::widgets::Block;
    let e = blocked();
    let state = e.state();
    let render = |width: u16, height: u16, f: &dyn Fn(&mut ratatui::Frame)| {
        let mut t = Terminal::new(TestBackend::new(width, height)).expect("a test terminal");
        t.draw(|frame| f(frame)).expect("drawing never fails");
        t.backend().to_string()
    };
    let theme = Theme {
        color: true,
        palette: Palette::Dark,
    };
    let view = View {
        state,
        mode: Mode::Live,
        clock_ms: state.now_ms,
        estimate_ms: 11 * 3_600_000,
        speed: "1h/4s".into(),
        scrubber: None,
        log_lines: None,
    };
    assert_snapshot!(
        "panel_header",
        render(120, 2, &|f| header::render(f, f.area(), &view, theme))
    );
    let none = std::collections::HashSet::new();
    assert_snapshot!(
        "panel_alerts",
        render(120, 1, &|f| alerts::render(
            f,
            f.area(),
            state,
            state.now_ms,
            &none,
            Some(&KeyMap::default()),
            theme
        ))
    );
    assert_snapshot!(
        "panel_agents",
        render(60, 12, &|f| agents::render(
            f,
            f.area(),
            Block::bordered().title(" Agents "),
            state,
            state.now_ms,
            Some(1),
            theme
        ))
    );
    assert_snapshot!(
        "panel_timeline",
        render(70, 9, &|f| timeline::render(
            f,
            f.area(),
            Block::bordered().title(" Timeline "),
            state,
            state.now_ms,
            0,
            theme
        ))
    );
    let mut a = app();
    a.refresh_graph(state, true);
    let graph = render(100, 16, &|f| {
        f.render_widget(
            orch_tui::ui::graph::GraphView {
                layout: &a.graph.layout,
                state,
                critical: &a.graph.critical,
                selected: Some(1),
                offset: (0, 0),
                theme,
            },
            f.area(),
        )
    });
    assert!(graph.contains("‼ B"), "the blocked task shows as blocked");
    assert!(
        graph.contains("┏"),
        "the critical path is drawn in heavy lines"
    );
    assert_snapshot!("panel_graph", graph);
}

#[test]
fn tiny_terminal_asks_to_be_enlarged_and_wide_names_fit() {
    let e = engine();
    let text = screen(e.state(), &mut app(), Mode::Live, 40, 10);
    assert!(text.contains("Enlarge the terminal"), "{text}");
    for (w, h) in [(1, 1), (59, 30), (200, 5), (61, 17), (300, 100)] {
        screen(e.state(), &mut app(), Mode::Live, w, h);
    }
}

#[test]
fn metrics_view_of_the_finished_run() {
    use orch_tui::ui::panels::metrics;
    use ratatui::widgets::Block;
    let e = finished();
    let state = e.state();
    let theme = Theme {
        color: true,
        palette: Palette::Dark,
    };
    let mut t = Terminal::new(TestBackend::new(90, 8)).expect("a test terminal");
    t.draw(|f| {
        metrics::render(
            f,
            f.area(),
            Block::bordered().title(" Metrics "),
            state,
            state.now_ms,
            Some(1),
            theme,
        )
    })
    .expect("drawing never fails");
    let text = t.backend().to_string();
    assert!(
        text.contains("util%") && text.contains("activity"),
        "{text}"
    );
    assert!(text.contains("eng2"), "{text}");
    assert_snapshot!("panel_metrics", text);
    // Narrow and tall, each sparkline goes under its agent's figures.
    let mut t = Terminal::new(TestBackend::new(54, 13)).expect("a test terminal");
    t.draw(|f| {
        metrics::render(
            f,
            f.area(),
            Block::bordered().title(" Metrics "),
            state,
            state.now_ms,
            None,
            theme,
        )
    })
    .expect("drawing never fails");
    assert_snapshot!("panel_metrics_stacked", t.backend().to_string());
    // The key swaps it in for the agents panel on the whole screen.
    let mut a = app();
    a.handle(orch_tui::ui::keys::Action::Metrics, state);
    let screen = screen(state, &mut a, Mode::Finished, 120, 40);
    assert!(
        screen.contains("Metrics") && !screen.contains("Agents"),
        "{screen}"
    );
}

#[test]
fn add_task_form_with_a_refused_cycle() {
    use orch_tui::engine::event::Actor;
    use orch_tui::ui::app::Overlay;
    use orch_tui::ui::task_form::TaskForm;
    let e = blocked();
    let mut form = TaskForm::new(Some("integration"));
    for (field, text) in ["fix", "Fix the leak", "engineer", "2h"].iter().enumerate() {
        form.focus = field;
        text.chars().for_each(|c| form.type_char(c));
    }
    form.focus = 5;
    form.type_char('C');
    let change = form.to_change(e.state()).expect("the form is complete");
    let refused = e
        .clone()
        .replan(change, Actor::User)
        .expect_err("C -> integration -> fix -> C is a cycle");
    assert!(
        refused.contains("C -> integration -> fix -> C"),
        "{refused}"
    );
    form.error = Some(refused);
    let mut a = app();
    a.overlay = Some(Overlay::AddTask(form));
    let text = screen(e.state(), &mut a, Mode::Live, 80, 24);
    assert!(
        text.contains("Add a task") && text.contains("dependency cycle"),
        "{text}"
    );
    assert_snapshot!("add_task_form_80x24", text);
}

/// The security scenario (31 tasks) started, stepped until ten tasks are finished or a blocker
/// opens.
fn security_mid_run() -> Engine {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/config/security-enhancement.toml"
    ))
    .expect("the security scenario is part of the repository");
    let w = workflow::parse(&text, "security-enhancement.toml")
        .expect("the security scenario is valid");
    let options = RunOptions {
        seed: None,
        decide: DecideMode::Person,
        stamp_wall: false,
    };
    let mut e = Engine::new(Arc::new(w), &options).expect("the security scenario can be planned");
    e.start();
    let finished = |s: &State| s.nodes.iter().filter(|n| n.status.is_terminal()).count();
    while finished(e.state()) < 10 && e.state().open_blockers().next().is_none() && e.step() {}
    e
}

#[test]
fn lane_view_of_the_security_scenario_at_160x45() {
    use orch_tui::ui::graph::GraphMode;
    let e = security_mid_run();
    let mut app = app();
    let text = screen(e.state(), &mut app, Mode::Live, 160, 45);
    assert_eq!(
        app.graph_mode,
        GraphMode::Lanes,
        "31 tasks do not fit the layered view"
    );
    // One row a task, in lane order, from the top of the panel.
    let rows = usize::from(app.areas.graph_inner.height) - 1;
    assert_eq!(app.graph.lanes.order.len(), e.state().nodes.len());
    for &t in app.graph.lanes.order.iter().take(rows) {
        let id: String = e.state().nodes[t].task.id.chars().take(10).collect();
        assert!(text.contains(&id), "{id} is on screen");
    }
    assert!(text.contains("critical path") && text.contains('┃'));
    assert!(
        text.contains(" v layered "),
        "the footer names the other view"
    );
    assert_snapshot!("lanes_security_160x45", text);
}

/// A generated graph of `n` tasks: each depends on up to three earlier ones.
fn generated(n: usize) -> String {
    let mut text = String::from(
        "[workflow]\nname = \"big\"\n[[agents]]\nid = \"a\"\nrole = \"r\"\n[[agents]]\nid = \"b\"\nrole = \"r\"\n",
    );
    for i in 0..n {
        let deps: Vec<String> = [i / 2, i.saturating_sub(1), i.saturating_sub(9)]
            .iter()
            .filter(|&&d| d < i && i % 5 != 0)
            .map(|d| format!("\"t{d}\""))
            .collect();
        text.push_str(&format!(
            "[[tasks]]\nid = \"t{i}\"\nname = \"Task number {i}\"\nrole = \"r\"\nestimate = 1\ndepends_on = [{}]\n",
            deps.join(",")
        ));
    }
    text
}

#[test]
fn lane_view_of_1000_tasks_scrolls_with_the_selection() {
    use orch_tui::ui::graph::GraphMode;
    use orch_tui::ui::keys::Action;
    let w = workflow::parse(&generated(1000), "big.toml").expect("the generated graph is valid");
    let options = RunOptions {
        seed: None,
        decide: DecideMode::Person,
        stamp_wall: false,
    };
    let mut e = Engine::new(Arc::new(w), &options).expect("it can be planned");
    e.start();
    for _ in 0..40 {
        e.step();
    }
    let mut app = app();
    let first = screen(e.state(), &mut app, Mode::Live, 120, 40);
    assert_eq!(app.graph_mode, GraphMode::Lanes);
    assert_snapshot!("lanes_1000_top_120x40", first);
    // Down through every row: the selected task's row is always on screen, in reverse video.
    let order = app.graph.lanes.order.clone();
    assert_eq!(order.len(), 1000);
    app.selected_node = order.first().copied();
    let inner = app.areas.graph_inner;
    for (row, &task) in order.iter().enumerate() {
        assert_eq!(app.selected_node, Some(task), "row {row}");
        let first_shown = app.lane_scroll;
        assert!(
            row >= first_shown && row < first_shown + usize::from(inner.height) - 1,
            "row {row} is visible (first shown {first_shown})"
        );
        if row % 97 == 0 {
            let text = screen(e.state(), &mut app, Mode::Live, 120, 40);
            let id = format!(" t{task} ");
            assert!(text.contains(&id), "{id} on screen at row {row}");
        }
        app.handle(Action::Down, e.state());
    }
    assert_eq!(
        app.selected_node,
        order.last().copied(),
        "the last row stops"
    );
    let last = screen(e.state(), &mut app, Mode::Live, 120, 40);
    assert!(last.contains(&format!(" t{} ", order[999])));
    assert_snapshot!("lanes_1000_bottom_120x40", last);
    // Up walks back; Enter opens the selected task's details.
    app.handle(Action::Up, e.state());
    assert_eq!(app.selected_node, Some(order[998]));
    app.handle(Action::Open, e.state());
    assert_eq!(
        app.overlay,
        Some(orch_tui::ui::app::Overlay::Details(order[998]))
    );
}
