//! Dashboard behaviour without a terminal: keys and mouse move the selection, Enter opens the
//! decision panel of a blocked task, remapped keys show wherever keys are named, `NO_COLOR`
//! drops every color, wide (CJK) and emoji names keep the layout in line, and a 500-task graph
//! lays out without overlaps and can be walked from end to end with the arrow keys.

use orch_tui::engine::{DecideMode, Engine, RunOptions};
use orch_tui::ui::app::{App, Focus, Intent, Overlay};
use orch_tui::ui::draw::draw;
use orch_tui::ui::graph::GraphMode;
use orch_tui::ui::keys::{Action, KeyMap};
use orch_tui::ui::theme::{Palette, Theme};
use orch_tui::ui::view::{Mode, View};
use orch_tui::workflow;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::Arc;
use unicode_width::UnicodeWidthStr;

fn started(text: &str) -> Engine {
    let w = workflow::parse(text, "test.toml").expect("the test workflow is valid");
    let options = RunOptions {
        seed: None,
        decide: DecideMode::Person,
        stamp_wall: false,
    };
    let mut e = Engine::new(Arc::new(w), &options).expect("it can be planned");
    e.start();
    e
}

fn render(engine: &Engine, app: &mut App, width: u16, height: u16) -> Terminal<TestBackend> {
    let state = engine.state();
    let mut t = Terminal::new(TestBackend::new(width, height)).expect("a test terminal");
    let view = View {
        state,
        mode: Mode::Live,
        clock_ms: state.now_ms,
        estimate_ms: 0,
        speed: "1h/s".into(),
        scrubber: None,
        log_lines: None,
    };
    t.draw(|f| draw(f, app, &view))
        .expect("drawing never fails");
    t
}

fn analytics() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/config/analytics-dashboard.toml"
    ))
    .expect("the scenario exists")
}

#[test]
fn clicking_a_node_selects_it_and_enter_on_a_blocked_task_opens_its_decision() {
    let mut e = started(&analytics());
    while e.state().open_blockers().next().is_none() && e.step() {}
    let mut app = App::new(
        Theme {
            color: true,
            palette: Palette::Dark,
        },
        false,
    );
    // The layered view, chosen with `v` (at this size its last column does not fit whole).
    app.graph_mode_chosen = Some(GraphMode::Layered);
    render(&e, &mut app, 120, 40);
    let b = e.state().task_index("B").expect("task B");
    let (x, y) = app.graph.layout.position[b];
    let inner = app.areas.graph_inner;
    let click = Action::Click(inner.x + x as u16 + 3, inner.y + y as u16 + 1);
    assert_eq!(app.handle(click, e.state()), Intent::Nothing);
    assert_eq!(app.selected_node, Some(b));
    assert_eq!(app.focus, Focus::Graph);
    let blocker = e.state().blocker_index("ws-leak").expect("the blocker");
    assert_eq!(
        app.handle(Action::Open, e.state()),
        Intent::OpenDecision(blocker)
    );
    app.open_decision(blocker, vec![None; 3]);
    // Enter in the panel takes the recommendation; 7 is refused with a message.
    assert_eq!(app.handle(Action::Choose(7), e.state()), Intent::Nothing);
    assert!(
        app.toast
            .as_ref()
            .is_some_and(|(t, _)| t.contains("no option 7"))
    );
    assert_eq!(
        app.handle(Action::Open, e.state()),
        Intent::Decide {
            blocker: "ws-leak".into(),
            option: 1
        }
    );
    assert_eq!(app.overlay, None);
}

#[test]
fn arrows_walk_the_graph_and_tab_moves_focus() {
    let e = started(&analytics());
    let mut app = App::new(
        Theme {
            color: true,
            palette: Palette::Dark,
        },
        false,
    );
    render(&e, &mut app, 120, 40);
    let c = e.state().task_index("C").expect("task C");
    let integration = e.state().task_index("integration").expect("integration");
    app.selected_node = e.state().task_index("B");
    app.handle(Action::Right, e.state());
    assert_eq!(app.selected_node, Some(c));
    app.handle(Action::Right, e.state());
    assert_eq!(app.selected_node, Some(integration));
    app.handle(Action::Right, e.state());
    assert_eq!(
        app.selected_node,
        Some(integration),
        "nothing to the right of the last layer"
    );
    app.handle(Action::FocusNext, e.state());
    assert_eq!(app.focus, Focus::Agents);
    app.handle(Action::Down, e.state());
    assert_eq!(app.selected_agent, 1);
    app.handle(Action::Help, e.state());
    assert_eq!(app.overlay, Some(Overlay::Help));
    app.handle(Action::Close, e.state());
    assert_eq!(app.overlay, None);
}

#[test]
fn no_color_uses_no_color() {
    let e = started(&analytics());
    let mut app = App::new(
        Theme {
            color: false,
            palette: Palette::Dark,
        },
        false,
    );
    let t = render(&e, &mut app, 120, 40);
    let buffer = t.backend().buffer();
    for cell in buffer.content() {
        assert_eq!(
            cell.fg,
            ratatui::style::Color::Reset,
            "no foreground color with NO_COLOR"
        );
        assert_eq!(
            cell.bg,
            ratatui::style::Color::Reset,
            "no background color with NO_COLOR"
        );
    }
}

#[test]
fn wide_names_keep_every_line_in_its_columns() {
    let text = r#"
        [workflow]
        name = "wide"
        [[agents]]
        id = "エージェント"
        name = "分析エンジニア 🚀"
        role = "eng"
        [[tasks]]
        id = "分析"
        name = "ユーザー分析ダッシュボードの構築 📊✨"
        role = "eng"
        estimate = 2
        [[tasks]]
        id = "rocket"
        name = "🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀 launch"
        role = "eng"
        estimate = 1
        depends_on = ["分析"]
    "#;
    let mut e = started(text);
    e.step();
    for (w, h) in [(120, 40), (80, 24), (61, 17)] {
        let mut app = App::new(
            Theme {
                color: true,
                palette: Palette::Dark,
            },
            false,
        );
        let t = render(&e, &mut app, w, h);
        let buffer = t.backend().buffer();
        for y in 0..h {
            // Read the line as a terminal shows it: a wide symbol covers the cell after it.
            let mut line = String::new();
            let mut x = 0;
            while x < w {
                let symbol = buffer[(x, y)].symbol();
                line.push_str(symbol);
                x += symbol.width().max(1) as u16;
            }
            assert!(
                line.width() <= usize::from(w),
                "line {y} overflows at {w}x{h}: {line}"
            );
        }
        // The right border of the agents panel stays in the last column.
        let rows: Vec<String> = (0..h)
            .map(|y| buffer[(w - 1, y)].symbol().to_string())
            .collect();
        assert!(
            rows.iter().filter(|s| *s == "│" || *s == "┃").count() >= 3,
            "{rows:?}"
        );
    }
}

#[test]
fn a_500_task_graph_lays_out_without_overlaps_and_can_be_walked() {
    let mut text =
        String::from("[workflow]\nname = \"big\"\n[[agents]]\nid = \"a\"\nrole = \"r\"\n");
    for i in 0..500usize {
        let deps: Vec<String> = [i / 2, i / 3, i.saturating_sub(7)]
            .iter()
            .filter(|&&d| d < i)
            .map(|d| format!("\"t{d}\""))
            .collect();
        text.push_str(&format!(
            "[[tasks]]\nid = \"t{i}\"\nrole = \"r\"\nestimate = 1\ndepends_on = [{}]\n",
            deps.join(",")
        ));
    }
    let e = started(&text);
    let mut app = App::new(
        Theme {
            color: true,
            palette: Palette::Dark,
        },
        false,
    );
    app.graph_mode_chosen = Some(GraphMode::Layered);
    render(&e, &mut app, 200, 50);
    let layout = app.graph.layout.clone();
    let mut seen = std::collections::HashSet::new();
    for &p in &layout.position {
        assert!(seen.insert(p), "two nodes share a place");
    }
    // Walk right from the first node to the last layer, then down to the bottom of it.
    app.selected_node = layout.layers[0].first().copied();
    for _ in 0..layout.layers.len() {
        app.handle(Action::Right, e.state());
    }
    let last = layout.layers.len() - 1;
    assert_eq!(app.selected_node.map(|n| layout.layer_of[n]), Some(last));
    for _ in 0..layout.layers[last].len() {
        app.handle(Action::Down, e.state());
    }
    assert_eq!(app.selected_node, layout.layers[last].last().copied());
    // The view followed the selection: the selected node is inside the visible window.
    render(&e, &mut app, 200, 50);
    let (x, y) = layout.position[app.selected_node.expect("a node is selected")];
    let (ox, oy) = app.graph_offset;
    let inner = app.areas.graph_inner;
    assert!(
        x >= ox && x < ox + u32::from(inner.width) && y >= oy && y < oy + u32::from(inner.height)
    );
}

/// The screen as text, one line per row.
fn screen_text(t: &Terminal<TestBackend>) -> String {
    let buffer = t.backend().buffer();
    let width = usize::from(buffer.area.width);
    let symbols: Vec<&str> = buffer.content().iter().map(|c| c.symbol()).collect();
    symbols
        .chunks(width)
        .map(|row| row.concat())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn remapped_keys_show_in_the_banner_the_decision_panel_and_the_footer() {
    let mut e = started(&analytics());
    while e.state().open_blockers().next().is_none() && e.step() {}
    let mut app = App::new(
        Theme {
            color: true,
            palette: Palette::Light,
        },
        false,
    );
    app.keys = KeyMap::remapped(&[
        (Action::NextBlocker, 'b'),
        (Action::Defer, 'z'),
        (Action::Quit, 'x'),
    ])
    .expect("b, z and x are free");
    let screen = screen_text(&render(&e, &mut app, 120, 40));
    assert!(screen.contains("press b to decide"), "{screen}");
    assert!(screen.contains(" x quit "), "{screen}");
    assert!(screen.contains(" b next blocker "), "{screen}");
    let blocker = e.state().blocker_index("ws-leak").expect("the blocker");
    app.open_decision(blocker, vec![None; 3]);
    let panel = screen_text(&render(&e, &mut app, 120, 40));
    assert!(panel.contains("z defer"), "{panel}");
    app.handle(Action::Defer, e.state());
    let toast = app
        .toast
        .as_ref()
        .map(|(t, _)| t.clone())
        .unwrap_or_default();
    assert!(toast.contains("(b brings it back)"), "{toast}");
}

#[test]
fn the_lane_view_is_the_default_once_the_layered_view_cannot_fit_and_v_switches() {
    let e = started(&analytics());
    let theme = Theme {
        color: true,
        palette: Palette::Dark,
    };
    // Five tasks in a wide panel: every box fits, the layered view stays.
    let mut app = App::new(theme, false);
    render(&e, &mut app, 200, 50);
    assert_eq!(app.graph_mode, GraphMode::Layered);
    assert!(screen_text(&render(&e, &mut app, 200, 50)).contains("╭"));
    // The same run in a smaller panel cannot show every box whole: lanes.
    render(&e, &mut app, 100, 30);
    assert_eq!(app.graph_mode, GraphMode::Lanes);
    // `v` switches, and the choice holds whatever the size.
    assert_eq!(app.keys.key_for(Action::View), "v");
    app.handle(Action::View, e.state());
    assert_eq!(app.graph_mode, GraphMode::Layered);
    render(&e, &mut app, 100, 30);
    assert_eq!(app.graph_mode, GraphMode::Layered);
    app.handle(Action::View, e.state());
    render(&e, &mut app, 200, 50);
    assert_eq!(app.graph_mode, GraphMode::Lanes);
    let text = screen_text(&render(&e, &mut app, 200, 50));
    assert!(
        text.contains("integration System integration testing"),
        "{text}"
    );
    // A click on a row selects its task.
    let inner = app.areas.graph_inner;
    let row = app.graph.lanes.row_of[e.state().task_index("C").expect("task C")];
    let click = Action::Click(inner.x + 20, inner.y + 1 + row as u16);
    app.handle(click, e.state());
    assert_eq!(app.selected_node, e.state().task_index("C"));
    // Help names the key.
    assert!(
        app.keys
            .help()
            .iter()
            .any(|(k, what)| k == "v" && what.contains("lane view"))
    );
}
