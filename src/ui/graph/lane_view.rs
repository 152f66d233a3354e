//! Draws the lane view: a header line, then one row per task from the scroll position down —
//! its lanes (the task itself as its status symbol, critical edges heavy), its id (in the
//! critical style when on the critical path) and name, its agent, its progress (running),
//! duration (finished) or estimate (not started), and its ETA: the time left until it
//! finishes at the earliest, by its own progress and its dependencies' (`≥` when it has not
//! started, `?` behind a blocker or a failure). Lanes wider than a third of the panel are cut
//! with `…`. Only the visible rows are drawn.

use super::lanes::{LaneLayout, NODE};
use crate::engine::state::{Node, State, TaskStatus};
use crate::ui::text::{fit, pad};
use crate::ui::theme::{Theme, symbol};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;
use unicode_width::UnicodeWidthStr;

const AGENT_W: usize = 10;
const PROGRESS_W: usize = 6;
const ETA_W: usize = 7;
const ID_W: usize = 14;

pub struct LaneView<'a> {
    pub layout: &'a LaneLayout,
    pub state: &'a State,
    pub critical: &'a [bool],
    pub selected: Option<usize>,
    /// The first row shown.
    pub scroll: usize,
    pub now: u64,
    pub theme: Theme,
}

/// The rows the lane view has room for in a panel of this height (one line is the header).
pub fn visible_rows(height: u16) -> usize {
    usize::from(height.saturating_sub(1))
}

/// The first row to show so that `row` is visible, moving `scroll` as little as possible, and
/// never past the last page.
pub fn scroll_to(scroll: usize, row: Option<usize>, rows: usize, height: u16) -> usize {
    let page = visible_rows(height).max(1);
    let mut scroll = scroll.min(rows.saturating_sub(page));
    if let Some(row) = row {
        if row < scroll {
            scroll = row;
        } else if row >= scroll + page {
            scroll = row + 1 - page;
        }
    }
    scroll
}

impl Widget for LaneView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width < 20 || area.height < 2 {
            return;
        }
        let width = usize::from(area.width);
        let lanes_w = self.layout.width.min((width / 3).max(8));
        let text_x = area.x + lanes_w as u16 + 1;
        let text_w = width.saturating_sub(lanes_w + 1);
        let show_agent = text_w >= ID_W + 12 + AGENT_W + PROGRESS_W + ETA_W + 3;
        let right_w = PROGRESS_W + 1 + ETA_W + if show_agent { AGENT_W + 1 } else { 0 };
        let left_w = text_w.saturating_sub(right_w + 1);
        let id_w = self
            .state
            .nodes
            .iter()
            .map(|n| crate::sanitise::sanitise(&n.task.id).width())
            .max()
            .unwrap_or(0)
            .min(ID_W);
        let dim = self.theme.dim();
        let head_right = right_fields(show_agent, "agent", "time", "ETA");
        buf.set_stringn(text_x, area.y, pad("task", left_w), left_w, dim);
        if left_w >= 24 {
            let legend = "┃ critical path";
            buf.set_stringn(
                text_x + 6,
                area.y,
                legend,
                left_w - 6,
                self.theme.critical(),
            );
        }
        buf.set_stringn(text_x + left_w as u16 + 1, area.y, head_right, right_w, dim);

        let eta = etas(self.state, &self.layout.order, self.now);
        let unit = self.state.workflow.unit;
        let rows = self.layout.order.iter().zip(&self.layout.cells);
        for (dy, (&v, cells)) in rows
            .skip(self.scroll)
            .take(visible_rows(area.height))
            .enumerate()
        {
            let Some(node) = self.state.nodes.get(v) else {
                continue;
            };
            let y = area.y + 1 + dy as u16;
            let status = self.theme.status(node.status);
            let selected = self.selected == Some(v);
            let sel = |s: Style| {
                if selected {
                    s.patch(self.theme.selected())
                } else {
                    s
                }
            };
            for (x, c) in cells.iter().take(lanes_w).enumerate() {
                let (glyph, style) = if c.glyph == NODE {
                    (symbol(node.status), sel(status))
                } else if c.critical {
                    (glyph_str(c.glyph), self.theme.critical())
                } else {
                    (glyph_str(c.glyph), dim)
                };
                buf[(area.x + x as u16, y)]
                    .set_symbol(glyph)
                    .set_style(style);
            }
            if cells.iter().skip(lanes_w).any(|c| c.glyph != ' ') {
                buf[(area.x + lanes_w as u16 - 1, y)]
                    .set_symbol("…")
                    .set_style(dim);
            }
            let critical = self.critical.get(v).copied().unwrap_or(false);
            let id = pad(&node.task.id, id_w);
            let id_style = if critical {
                self.theme.critical()
            } else {
                self.theme.bold()
            };
            let name = fit(&node.task.name, left_w.saturating_sub(id_w + 1));
            let line = format!("{id} {name}");
            buf.set_stringn(
                text_x,
                y,
                pad(&line, left_w + 1),
                left_w + 1,
                sel(Style::new()),
            );
            buf.set_stringn(text_x, y, &id, id_w.min(left_w), sel(id_style));
            let agent = match node.agent.and_then(|a| self.state.agents.get(a)) {
                Some(a) => a.agent.id.as_str(),
                None if node.is_gate() => "gate",
                None => "",
            };
            let time = progress(node, self.now, unit);
            let eta = match (node.status, eta.get(v).copied().flatten()) {
                (s, _) if s.is_terminal() => String::new(),
                (TaskStatus::Running, Some(ms)) => unit.format(ms),
                (_, Some(ms)) => format!("≥{}", unit.format(ms)),
                (_, None) => "?".to_string(),
            };
            let right = right_fields(show_agent, agent, &time, &eta);
            let rx = text_x + left_w as u16 + 1;
            buf.set_stringn(rx, y, right, right_w, sel(Style::new()));
            let time_x = rx + if show_agent { AGENT_W as u16 + 1 } else { 0 };
            buf.set_stringn(time_x, y, pad(&time, PROGRESS_W), PROGRESS_W, sel(status));
        }
    }
}

/// Agent, time and ETA in their columns (the ETA right-aligned).
fn right_fields(show_agent: bool, agent: &str, time: &str, eta: &str) -> String {
    let eta = fit(eta, ETA_W);
    let eta = format!("{eta:>ETA_W$}");
    let time = pad(time, PROGRESS_W);
    match show_agent {
        true => format!("{} {time} {eta}", pad(agent, AGENT_W)),
        false => format!("{time} {eta}"),
    }
}

/// Progress while running, duration once finished, the estimate before it starts.
fn progress(node: &Node, now: u64, unit: crate::time::TimeUnit) -> String {
    match node.status {
        TaskStatus::Running if node.progress_unknown() => "run".into(),
        TaskStatus::Running => format!("{}%", node.pct),
        TaskStatus::Blocked => "BLK".into(),
        TaskStatus::Skipped => "skip".into(),
        TaskStatus::Done | TaskStatus::Failed => unit.format(node.held_ms(now)),
        TaskStatus::Pending | TaskStatus::Ready => format!("~{}", unit.format(node.expected_ms)),
    }
}

/// Each task's time left until it finishes at the earliest, in topological `order`: its own
/// remaining work after its dependencies'. `None` behind a blocker or a failure.
fn etas(state: &State, order: &[usize], now: u64) -> Vec<Option<u64>> {
    let mut eta: Vec<Option<u64>> = vec![None; state.nodes.len()];
    for &v in order {
        let Some(node) = state.nodes.get(v) else {
            continue;
        };
        eta[v] = match node.status {
            TaskStatus::Done | TaskStatus::Skipped => Some(0),
            TaskStatus::Failed | TaskStatus::Blocked => None,
            TaskStatus::Running => {
                let elapsed = now.saturating_sub(node.attempt_started_ms.unwrap_or(now));
                Some(match node.progress_unknown() {
                    true => node.expected_ms.saturating_sub(elapsed),
                    false => node.expected_ms * u64::from(100 - node.pct.min(100)) / 100,
                })
            }
            TaskStatus::Pending | TaskStatus::Ready => node
                .deps
                .iter()
                .try_fold(0u64, |m, &d| {
                    eta.get(d).copied().flatten().map(|e| m.max(e))
                })
                .map(|m| m + node.expected_ms),
        };
    }
    eta
}

fn glyph_str(c: char) -> &'static str {
    match c {
        '│' => "│",
        '┃' => "┃",
        '─' => "─",
        '━' => "━",
        '┼' => "┼",
        '┿' => "┿",
        '╰' => "╰",
        '╯' => "╯",
        '┴' => "┴",
        '├' => "├",
        '┤' => "┤",
        '┗' => "┗",
        '┛' => "┛",
        '┣' => "┣",
        '┫' => "┫",
        '┠' => "┠",
        '┨' => "┨",
        '╂' => "╂",
        _ => " ",
    }
}
