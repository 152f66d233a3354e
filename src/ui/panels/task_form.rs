//! The add-task form: each field with its label, the one being typed in marked, why the last
//! try was refused (a bad estimate, an unknown agent or role, a dependency cycle named), and the
//! keys that move between fields, add the task and cancel.

use super::popup::Popup;
use crate::ui::task_form::{LABELS, TaskForm};
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// What each field expects.
const EXAMPLES: [&str; 6] = [
    "letters, digits, - _ .",
    "defaults to the id",
    "an agent id, or a role",
    "e.g. 2h, 30m, or a number in the workflow's unit",
    "task ids it waits for, e.g. A, C",
    "task ids, not started, that wait for it",
];

pub fn render(frame: &mut Frame, screen: Rect, form: &TaskForm, theme: Theme) {
    let mut lines = Vec::new();
    for (i, (label, value)) in LABELS.iter().zip(&form.fields).enumerate() {
        let focused = i == form.focus;
        let mut spans = vec![
            Span::styled(
                format!("{} {label:<14}", if focused { "▶" } else { " " }),
                if focused {
                    theme.accent()
                } else {
                    theme.bold()
                },
            ),
            Span::raw(value.clone()),
        ];
        if focused {
            spans.push(Span::styled("▏", theme.accent()));
        }
        if value.is_empty() && !focused {
            spans.push(Span::styled(EXAMPLES[i], theme.dim()));
        }
        lines.push(Line::from(spans));
    }
    if let Some(error) = &form.error {
        lines.push(Line::raw(""));
        lines.push(Line::styled(format!("✖ {error}"), theme.bad()));
    }
    Popup {
        title: Line::styled(" Add a task ", theme.bold()),
        hint: "Tab / ↑↓ field · Enter add · Esc cancel".into(),
        lines,
        border: theme.accent(),
        max_width: 72,
    }
    .render(frame, screen, theme);
}
