//! Composes one frame: header, blocker banner, graph, agents, timeline, log and footer, then
//! whatever overlay is open. A terminal too small for the layout gets a clear message instead.

use super::app::{App, Focus, Overlay, TOAST_FOR};
use super::graph::{GraphMode, GraphView, LaneView};
use super::keys::Action;
use super::layout::{MIN_HEIGHT, MIN_WIDTH, areas, too_small};
use super::panels::{
    agents, alerts, decision, details, header, log, metrics, overlays, task_form, timeline,
};
use super::text::fit;
use super::view::{Mode, View};
use ratatui::Frame;
use ratatui::layout::Alignment;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};

pub fn draw(frame: &mut Frame, app: &mut App, view: &View) {
    let screen = frame.area();
    if too_small(screen) {
        let text = format!(
            "Enlarge the terminal: the dashboard needs at least {MIN_WIDTH}x{MIN_HEIGHT}, this one is {}x{}.",
            screen.width, screen.height
        );
        frame.render_widget(
            Paragraph::new(text)
                .wrap(Wrap { trim: true })
                .alignment(Alignment::Center),
            screen,
        );
        return;
    }
    let state = view.state;
    let theme = app.theme;
    let open = alerts::ordered(state).len();
    app.areas = areas(screen, open, alerts::alert_rows(state), state.agents.len());
    let a = app.areas;
    app.refresh_graph(state, false);
    app.resolve_graph_mode();

    header::render(frame, a.header, view, theme);
    alerts::render(
        frame,
        a.banner,
        state,
        view.clock_ms,
        &app.deferred,
        app.can_decide.then_some(&app.keys),
        theme,
    );

    let block = |title: &str, focus: Focus| {
        let focused = app.focus == focus;
        Block::bordered()
            .border_type(if focused {
                BorderType::Thick
            } else {
                BorderType::Rounded
            })
            .border_style(if focused {
                theme.focused_border()
            } else {
                theme.border()
            })
            .title(Line::styled(
                format!(" {title} "),
                if focused {
                    theme.focused_border()
                } else {
                    theme.bold()
                },
            ))
    };
    let graph_title = match app.selected_node.and_then(|n| state.nodes.get(n)) {
        Some(n) => format!("Graph · {} {}", n.task.id, n.task.name),
        None => "Graph".to_string(),
    };
    let graph_title = fit(&graph_title, usize::from(a.graph.width.saturating_sub(6)));
    frame.render_widget(block(&graph_title, Focus::Graph), a.graph);
    match app.graph_mode {
        GraphMode::Layered => frame.render_widget(
            GraphView {
                layout: &app.graph.layout,
                state,
                critical: &app.graph.critical,
                selected: app.selected_node,
                offset: app.graph_offset,
                theme,
            },
            a.graph_inner,
        ),
        GraphMode::Lanes => frame.render_widget(
            LaneView {
                layout: &app.graph.lanes,
                state,
                critical: &app.graph.critical,
                selected: app.selected_node,
                scroll: app.lane_scroll,
                now: view.clock_ms,
                theme,
            },
            a.graph_inner,
        ),
    }
    let selected_agent = (app.focus == Focus::Agents).then_some(app.selected_agent);
    if app.show_metrics {
        metrics::render(
            frame,
            a.agents,
            block("Metrics", Focus::Agents),
            state,
            view.clock_ms,
            selected_agent,
            theme,
        );
    } else {
        agents::render(
            frame,
            a.agents,
            block("Agents", Focus::Agents),
            state,
            view.clock_ms,
            selected_agent,
            theme,
        );
    }
    timeline::render(
        frame,
        a.timeline,
        block("Timeline", Focus::Timeline),
        state,
        view.clock_ms,
        app.timeline_scroll,
        theme,
    );
    let log_title = match app.log_agent().and_then(|i| state.agents.get(i)) {
        Some(agent) => format!("Log · {}", agent.agent.id),
        None => "Log".to_string(),
    };
    match &view.log_lines {
        Some(lines) => log::render_lines(frame, a.log, block(&log_title, Focus::Log), lines),
        None => log::render(
            frame,
            a.log,
            block(&log_title, Focus::Log),
            &app.log_state,
            theme,
        ),
    }
    footer(frame, app, view);

    match &app.overlay {
        Some(Overlay::Help) => overlays::help(frame, screen, &app.keys, theme),
        Some(Overlay::Summary) => overlays::summary(frame, screen, state, &app.keys, theme),
        Some(Overlay::ConfirmQuit) => overlays::confirm_quit(frame, screen, theme, app.attached),
        Some(Overlay::AddTask(form)) => task_form::render(frame, screen, form, theme),
        Some(Overlay::Details(n)) => {
            details::render(frame, screen, *n, state, view.clock_ms, theme)
        }
        Some(Overlay::Decision(d)) => decision::render(
            frame,
            screen,
            d,
            state,
            view.clock_ms,
            app.can_decide.then_some(&app.keys),
            theme,
        ),
        None => {}
    }
}

fn footer(frame: &mut Frame, app: &App, view: &View) {
    let theme = app.theme;
    if let Some(text) = &app.command {
        let line = Line::from(vec![
            Span::styled(" :", theme.accent()),
            Span::raw(format!("{text}▏")),
            Span::styled(format!("  {}", super::command::USAGE), theme.dim()),
        ]);
        frame.render_widget(Paragraph::new(line), app.areas.footer);
        return;
    }
    if let Some(text) = &app.prompt {
        let line = Line::from(vec![
            Span::styled(" Go to run time: ", theme.accent()),
            Span::raw(format!("{text}▏")),
            Span::styled("  e.g. 3.5h or 90m · Enter go · Esc cancel", theme.dim()),
        ]);
        frame.render_widget(Paragraph::new(line), app.areas.footer);
        return;
    }
    let line = match &app.toast {
        Some((text, at)) if at.elapsed() < TOAST_FOR => {
            Line::styled(format!(" {text}"), theme.good())
        }
        _ => {
            let pause = if view.mode == Mode::Paused {
                "resume"
            } else {
                "pause"
            };
            let k = |action| app.keys.key_for(action);
            let mut keys: Vec<(String, &str)> = vec![
                (k(Action::Quit), "quit"),
                (k(Action::TogglePause), pause),
                (
                    format!("{}/{}", k(Action::Faster), k(Action::Slower)),
                    "speed",
                ),
            ];
            if view.mode == Mode::Replay {
                keys.extend([
                    ("←/→".to_string(), "step"),
                    (
                        format!("{} {}", k(Action::JumpBack), k(Action::JumpForward)),
                        "±10%",
                    ),
                    (
                        format!("{}/{}", k(Action::NextBlocker), k(Action::PreviousMarker)),
                        "next/prev",
                    ),
                    (k(Action::GoTo), "go to"),
                ]);
            } else {
                keys.extend([
                    ("Tab".to_string(), "focus"),
                    ("Enter".to_string(), "open"),
                    (k(Action::NextBlocker), "next blocker"),
                ]);
                // Where there is room: the footer must keep its help key at 80 columns.
                if app.run_going && app.areas.footer.width >= 100 {
                    keys.push((k(Action::Detach), "detach"));
                }
                if app.areas.footer.width >= 100 {
                    let other = match app.graph_mode {
                        GraphMode::Layered => "lanes",
                        GraphMode::Lanes => "layered",
                    };
                    keys.push((k(Action::View), other));
                }
            }
            keys.push((k(Action::Help), "help"));
            Line::from(
                keys.iter()
                    .flat_map(|(k, what)| {
                        [
                            Span::styled(format!(" {k} "), theme.accent()),
                            Span::raw(format!("{what} ")),
                        ]
                    })
                    .collect::<Vec<_>>(),
            )
        }
    };
    frame.render_widget(Paragraph::new(line), app.areas.footer);
}
