//! Draws the visible window of a laid-out graph: edge strokes from the sparse cell map and node
//! boxes showing id, name and status (symbol and color), the critical path in heavy lines, the
//! selected node in reverse video. Only what intersects the window is touched, so a frame costs
//! the same for 20 or 10,000 tasks.

use super::layout::{DOWN, EdgeCell, GraphLayout, LEFT, NODE_H, NODE_W, RIGHT, UP};
use crate::engine::state::{State, TaskStatus};
use crate::ui::text::{pad, skip_columns};
use crate::ui::theme::{Theme, symbol};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;

pub struct GraphView<'a> {
    pub layout: &'a GraphLayout,
    pub state: &'a State,
    pub critical: &'a [bool],
    pub selected: Option<usize>,
    pub offset: (u32, u32),
    pub theme: Theme,
}

impl Widget for GraphView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (ox, oy) = self.offset;
        let (w, h) = (u32::from(area.width), u32::from(area.height));
        for row in 0..h {
            let Some(cells) = self.layout.rows.get((oy + row) as usize) else {
                break;
            };
            for (&x, cell) in cells.range(ox..ox + w) {
                let style = if cell.critical {
                    self.theme.critical()
                } else {
                    self.theme.dim()
                };
                buf[(area.x + (x - ox) as u16, area.y + row as u16)]
                    .set_symbol(glyph(cell))
                    .set_style(style);
            }
        }
        for (i, &(nx, ny)) in self.layout.position.iter().enumerate() {
            if nx + NODE_W <= ox
                || nx >= ox + w
                || ny + NODE_H <= oy
                || ny >= oy + h
                || i >= self.state.nodes.len()
            {
                continue;
            }
            let lines = self.node_lines(i);
            for (dy, (text, style)) in lines.iter().enumerate() {
                let y = ny + dy as u32;
                if y < oy || y >= oy + h {
                    continue;
                }
                let skip = ox.saturating_sub(nx) as usize;
                let visible = skip_columns(text, skip);
                let x = area.x + nx.saturating_sub(ox) as u16;
                let room = (area.x + area.width).saturating_sub(x) as usize;
                buf.set_stringn(x, area.y + (y - oy) as u16, visible, room, *style);
            }
        }
    }
}

impl GraphView<'_> {
    fn node_lines(&self, i: usize) -> [(String, Style); 3] {
        let node = &self.state.nodes[i];
        let critical = self.critical.get(i).copied().unwrap_or(false);
        let inner = (NODE_W - 2) as usize;
        let (tl, tr, bl, br, hz, vt) = if critical {
            ("┏", "┓", "┗", "┛", "━", "┃")
        } else if node.is_gate() {
            ("◆", "◆", "◆", "◆", "═", "║")
        } else {
            ("╭", "╮", "╰", "╯", "─", "│")
        };
        let tail = match node.status {
            TaskStatus::Running if node.progress_unknown() => " run".to_string(),
            TaskStatus::Running => format!(" {:>3}%", node.pct),
            TaskStatus::Blocked => " BLK".to_string(),
            _ => String::new(),
        };
        let head = format!(
            "{} {} {}",
            symbol(node.status),
            node.task.id,
            node.task.name
        );
        let content = format!("{}{tail}", pad(&head, inner - tail.chars().count()));
        let mut style = self.theme.status(node.status);
        if self.selected == Some(i) {
            style = style.patch(self.theme.selected());
        }
        let border = if critical {
            self.theme.critical()
        } else {
            self.theme.status(node.status)
        };
        [
            (format!("{tl}{}{tr}", hz.repeat(inner)), border),
            (format!("{vt}{content}{vt}"), style),
            (format!("{bl}{}{br}", hz.repeat(inner)), border),
        ]
    }
}

fn glyph(cell: &EdgeCell) -> &'static str {
    let m = cell.mask;
    if cell.far && (m == 0 || (cell.arrow && m & LEFT == 0)) {
        return "⇢";
    }
    if cell.arrow {
        return "▶";
    }
    let (u, d, l, r) = (m & UP != 0, m & DOWN != 0, m & LEFT != 0, m & RIGHT != 0);
    match (u, d, l, r) {
        (true, true, true, true) => "┼",
        (false, true, true, true) => "┬",
        (true, false, true, true) => "┴",
        (true, true, false, true) => "├",
        (true, true, true, false) => "┤",
        (false, true, false, true) => "╭",
        (false, true, true, false) => "╮",
        (true, false, false, true) => "╰",
        (true, false, true, false) => "╯",
        (true, true, false, false) | (true, false, false, false) | (false, true, false, false) => {
            "│"
        }
        _ => "─",
    }
}
