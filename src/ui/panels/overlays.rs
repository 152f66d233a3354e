//! The small overlays: help (every key), the end-of-run summary, and the quit confirmation.

use super::popup::Popup;
use crate::engine::describe::summary_text;
use crate::engine::state::State;
use crate::ui::keys::{Action, KeyMap};
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub fn help(frame: &mut Frame, screen: Rect, keys: &KeyMap, theme: Theme) {
    let lines: Vec<Line> = keys
        .help()
        .into_iter()
        .map(|(keys, what)| {
            Line::from(vec![
                Span::styled(format!(" {keys:<18}"), theme.accent()),
                Span::raw(what),
            ])
        })
        .collect();
    let title = Line::styled(" Keys ", theme.bold());
    let hint = format!("Esc or {} close", keys.key_for(Action::Help));
    Popup {
        title,
        hint,
        lines,
        border: theme.border(),
        max_width: 84,
    }
    .render(frame, screen, theme);
}

pub fn summary(frame: &mut Frame, screen: Rect, state: &State, keys: &KeyMap, theme: Theme) {
    let Some(summary) = &state.finished else {
        return;
    };
    let lines: Vec<Line> = summary_text(summary, state.workflow.unit)
        .lines()
        .map(|l| Line::raw(l.to_string()))
        .collect();
    let title = Line::styled(" Summary ", theme.bold());
    let hint = format!(
        "{} quit · Esc close · {} show again",
        keys.key_for(Action::Quit),
        keys.key_for(Action::Summary)
    );
    Popup {
        title,
        hint,
        lines,
        border: theme.accent(),
        max_width: 100,
    }
    .render(frame, screen, theme);
}

pub fn confirm_quit(frame: &mut Frame, screen: Rect, theme: Theme, attached: bool) {
    // Attached with `attach`, leaving is not stopping: the run goes on unless X stops it.
    let (what, keys) = match attached {
        true => (
            "Leave it? It goes on; `orch-tui attach` comes back.",
            vec![
                Span::styled("y", theme.bold()),
                Span::raw(" leave · "),
                Span::styled("X", theme.bold()),
                Span::raw(" stop the run · any other key goes back"),
            ],
        ),
        false => (
            "Quit now? It will be stopped and recorded as stopped.",
            vec![
                Span::styled("y", theme.bold()),
                Span::raw(" quit · any other key goes back"),
            ],
        ),
    };
    let lines = vec![
        Line::raw("The run is still going."),
        Line::raw(what),
        Line::raw(""),
        Line::from(keys),
    ];
    let title = Line::styled(" Quit? ", theme.warn());
    Popup {
        title,
        hint: String::new(),
        lines,
        border: theme.warn(),
        max_width: 60,
    }
    .render(frame, screen, theme);
}
