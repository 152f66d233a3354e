//! Where each panel goes on screen. Wide terminals get two columns (graph and timeline on the
//! left, agents and log on the right); narrow ones stack the graph over the agents. Below the
//! smallest usable size the dashboard shows an "enlarge the terminal" message instead.

use ratatui::layout::{Constraint, Layout, Rect};

pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;
const WIDE: u16 = 110;
/// At most this many blocker lines in the banner.
pub const BANNER_LINES: usize = 3;
/// At most this many alert lines below them.
pub const ALERT_LINES: usize = 2;

/// The rectangles of the last frame, for mouse hit-testing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Areas {
    pub header: Rect,
    pub banner: Rect,
    pub graph: Rect,
    pub graph_inner: Rect,
    pub agents: Rect,
    pub agents_inner: Rect,
    pub timeline: Rect,
    pub log: Rect,
    pub footer: Rect,
}

pub fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

/// Splits the screen; `blockers` open blockers and `alerts` alert lines to show in the banner,
/// `agents` rows wanted.
pub fn areas(area: Rect, blockers: usize, alerts: usize, agents: usize) -> Areas {
    let banner = (blockers.min(BANNER_LINES) + alerts.min(ALERT_LINES)) as u16;
    let [header, banner, body, footer] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(banner),
        Constraint::Min(8),
        Constraint::Length(1),
    ])
    .areas(area);
    let agents_h = (agents as u16 + 2).max(4);
    let (graph, agents, timeline, log) = if area.width >= WIDE {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)])
                .areas(body);
        let [graph, timeline] =
            Layout::vertical([Constraint::Percentage(62), Constraint::Percentage(38)]).areas(left);
        let [agents, log] = Layout::vertical([
            Constraint::Max(agents_h.max(body.height / 2)),
            Constraint::Min(3),
        ])
        .areas(right);
        (graph, agents, timeline, log)
    } else {
        let [graph, agents, bottom] = Layout::vertical([
            Constraint::Percentage(45),
            Constraint::Max(agents_h),
            Constraint::Min(4),
        ])
        .areas(body);
        let [timeline, log] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(bottom);
        (graph, agents, timeline, log)
    };
    Areas {
        header,
        banner,
        graph,
        graph_inner: inner(graph),
        agents,
        agents_inner: inner(agents),
        timeline,
        log,
        footer,
    }
}

/// The inside of a bordered panel.
pub fn inner(r: Rect) -> Rect {
    Rect {
        x: r.x + 1,
        y: r.y + 1,
        width: r.width.saturating_sub(2),
        height: r.height.saturating_sub(2),
    }
}

/// A box of at most `w` x `h` centered in `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}
