//! Colors and symbols. Status is always shown by a symbol as well as a color, so the dashboard
//! reads the same with `NO_COLOR` set (then only bold, dim and reverse are used). Colors are the
//! terminal's named ANSI colors, which follow its palette on dark and light backgrounds alike.

use crate::engine::state::TaskStatus;
use crate::workflow::model::Severity;
use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    /// Colors unless `NO_COLOR` is set to something non-empty.
    pub fn from_env() -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme { color: !no_color }
    }

    fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    pub fn status(&self, status: TaskStatus) -> Style {
        match status {
            TaskStatus::Pending => Style::new().add_modifier(Modifier::DIM),
            TaskStatus::Ready => self.fg(Color::Cyan),
            TaskStatus::Running => self.fg(Color::Blue).add_modifier(Modifier::BOLD),
            TaskStatus::Blocked => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            TaskStatus::Done => self.fg(Color::Green),
            TaskStatus::Failed => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            TaskStatus::Skipped => self.fg(Color::Magenta).add_modifier(Modifier::DIM),
        }
    }

    pub fn severity(&self, severity: Severity) -> Style {
        match severity {
            Severity::Low => self.fg(Color::Cyan),
            Severity::Medium => self.fg(Color::Yellow),
            Severity::High | Severity::Critical => self.fg(Color::Red).add_modifier(Modifier::BOLD),
        }
    }

    /// The blocker banner: impossible to miss.
    pub fn banner(&self) -> Style {
        if self.color {
            Style::new()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }

    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn focused_border(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn border(&self) -> Style {
        Style::new()
    }

    pub fn dim(&self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }

    pub fn bold(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn accent(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn good(&self) -> Style {
        self.fg(Color::Green).add_modifier(Modifier::BOLD)
    }

    pub fn warn(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn bad(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    /// The critical path in the graph.
    pub fn critical(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn gauge(&self) -> Style {
        self.fg(Color::Blue)
    }
}

pub fn symbol(status: TaskStatus) -> &'static str {
    match status {
        TaskStatus::Pending => "○",
        TaskStatus::Ready => "◌",
        TaskStatus::Running => "▶",
        TaskStatus::Blocked => "‼",
        TaskStatus::Done => "✔",
        TaskStatus::Failed => "✖",
        TaskStatus::Skipped => "⊘",
    }
}
