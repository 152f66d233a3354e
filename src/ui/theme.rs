//! Colors and symbols. Status is always shown by a symbol as well as a color, so the dashboard
//! reads the same with `NO_COLOR` set (then only bold, dim and reverse are used, whatever the
//! palette). The palette is the user's choice: `dark` uses the terminal's named ANSI colors,
//! which follow its own palette; `light` uses darker tones that read on a light background;
//! `high-contrast` uses the bright colors and never dims text.

use crate::engine::state::TaskStatus;
use crate::workflow::model::Severity;
use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

/// The palette chosen in the user config (`theme = "dark" | "light" | "high-contrast"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Palette {
    #[default]
    Dark,
    Light,
    HighContrast,
}

/// The colors a palette gives each role.
struct Colors {
    /// Ready tasks, low severity, accents.
    info: Color,
    /// Running tasks and progress.
    active: Color,
    good: Color,
    warn: Color,
    bad: Color,
    /// Skipped tasks.
    muted: Color,
    banner: (Color, Color),
    /// Whether secondary text may be dimmed.
    dims: bool,
}

const DARK: Colors = Colors {
    info: Color::Cyan,
    active: Color::Blue,
    good: Color::Green,
    warn: Color::Yellow,
    bad: Color::Red,
    muted: Color::Magenta,
    banner: (Color::White, Color::Red),
    dims: true,
};

/// 256-color tones dark enough for a light background.
const LIGHT: Colors = Colors {
    info: Color::Indexed(30),
    active: Color::Indexed(25),
    good: Color::Indexed(28),
    warn: Color::Indexed(130),
    bad: Color::Indexed(160),
    muted: Color::Indexed(90),
    banner: (Color::White, Color::Indexed(160)),
    dims: true,
};

const HIGH_CONTRAST: Colors = Colors {
    info: Color::LightCyan,
    active: Color::LightBlue,
    good: Color::LightGreen,
    warn: Color::LightYellow,
    bad: Color::LightRed,
    muted: Color::LightMagenta,
    banner: (Color::Black, Color::LightYellow),
    dims: false,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
    pub palette: Palette,
}

impl Theme {
    /// The palette, in colors unless `NO_COLOR` is set to something non-empty.
    pub fn from_env(palette: Palette) -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme {
            color: !no_color,
            palette,
        }
    }

    fn colors(&self) -> &'static Colors {
        match self.palette {
            Palette::Dark => &DARK,
            Palette::Light => &LIGHT,
            Palette::HighContrast => &HIGH_CONTRAST,
        }
    }

    fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    pub fn status(&self, status: TaskStatus) -> Style {
        let c = self.colors();
        match status {
            TaskStatus::Pending => self.dim(),
            TaskStatus::Ready => self.fg(c.info),
            TaskStatus::Running => self.fg(c.active).add_modifier(Modifier::BOLD),
            TaskStatus::Blocked => self.bad(),
            TaskStatus::Done => self.fg(c.good),
            TaskStatus::Failed => self.bad(),
            TaskStatus::Skipped => self.fg(c.muted).patch(self.dim()),
        }
    }

    pub fn severity(&self, severity: Severity) -> Style {
        match severity {
            Severity::Low => self.fg(self.colors().info),
            Severity::Medium => self.fg(self.colors().warn),
            Severity::High | Severity::Critical => self.bad(),
        }
    }

    /// The blocker banner: impossible to miss.
    pub fn banner(&self) -> Style {
        if self.color {
            let (fg, bg) = self.colors().banner;
            Style::new().fg(fg).bg(bg).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }

    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn focused_border(&self) -> Style {
        self.warn()
    }

    pub fn border(&self) -> Style {
        Style::new()
    }

    /// Secondary text: dimmed, except in the high-contrast palette.
    pub fn dim(&self) -> Style {
        if self.colors().dims {
            Style::new().add_modifier(Modifier::DIM)
        } else {
            Style::new()
        }
    }

    pub fn bold(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn accent(&self) -> Style {
        self.fg(self.colors().info).add_modifier(Modifier::BOLD)
    }

    pub fn good(&self) -> Style {
        self.fg(self.colors().good).add_modifier(Modifier::BOLD)
    }

    pub fn warn(&self) -> Style {
        self.fg(self.colors().warn).add_modifier(Modifier::BOLD)
    }

    pub fn bad(&self) -> Style {
        self.fg(self.colors().bad).add_modifier(Modifier::BOLD)
    }

    /// The critical path in the graph.
    pub fn critical(&self) -> Style {
        self.warn()
    }

    pub fn gauge(&self) -> Style {
        self.fg(self.colors().active)
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

#[cfg(test)]
mod tests {
    use super::*;

    const STATUSES: [TaskStatus; 7] = [
        TaskStatus::Pending,
        TaskStatus::Ready,
        TaskStatus::Running,
        TaskStatus::Blocked,
        TaskStatus::Done,
        TaskStatus::Failed,
        TaskStatus::Skipped,
    ];
    const PALETTES: [Palette; 3] = [Palette::Dark, Palette::Light, Palette::HighContrast];

    fn theme(palette: Palette) -> Theme {
        Theme {
            color: true,
            palette,
        }
    }

    #[test]
    fn each_palette_colors_the_dashboard_its_own_way() {
        let running = PALETTES.map(|p| theme(p).status(TaskStatus::Running).fg);
        assert_eq!(running[0], Some(Color::Blue));
        assert_ne!(running[0], running[1]);
        assert_ne!(running[1], running[2]);
        assert_ne!(
            theme(Palette::Dark).banner(),
            theme(Palette::Light).banner()
        );
        assert_eq!(
            theme(Palette::HighContrast).banner().bg,
            Some(Color::LightYellow)
        );
        // High contrast never dims: pending tasks and secondary text stay at full strength.
        assert!(
            theme(Palette::Dark)
                .dim()
                .add_modifier
                .contains(Modifier::DIM)
        );
        let hc = theme(Palette::HighContrast);
        assert!(!hc.dim().add_modifier.contains(Modifier::DIM));
        assert!(
            !hc.status(TaskStatus::Pending)
                .add_modifier
                .contains(Modifier::DIM)
        );
    }

    #[test]
    fn no_color_drops_every_color_whatever_the_palette() {
        for palette in PALETTES {
            let t = Theme {
                color: false,
                palette,
            };
            let mut styles: Vec<Style> = STATUSES.iter().map(|s| t.status(*s)).collect();
            styles.extend([t.banner(), t.accent(), t.warn(), t.bad(), t.gauge()]);
            styles.extend([Severity::Low, Severity::Critical].map(|s| t.severity(s)));
            for style in styles {
                assert_eq!((style.fg, style.bg), (None, None), "{palette:?}: {style:?}");
            }
        }
    }

    #[test]
    fn every_status_has_its_own_symbol() {
        let mut symbols: Vec<&str> = STATUSES.iter().map(|s| symbol(*s)).collect();
        symbols.sort_unstable();
        symbols.dedup();
        assert_eq!(symbols.len(), STATUSES.len());
    }

    #[test]
    fn palettes_are_named_as_in_the_user_config() {
        #[derive(Deserialize)]
        struct Pick {
            theme: Palette,
        }
        let pick: Pick = toml::from_str(r#"theme = "high-contrast""#).expect("a palette name");
        assert_eq!(pick.theme, Palette::HighContrast);
    }
}
