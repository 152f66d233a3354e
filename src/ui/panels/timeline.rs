//! The timeline: a Gantt chart of tasks over run time, one row per task in order of start, with
//! the time each held an agent (failed attempts and time spent blocked shown apart) and markers
//! for blockers (‼), decisions (◆) and gates (◇) on the axis line.

use crate::engine::state::{State, TaskStatus};
use crate::ui::text::pad;
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

const LABEL_W: usize = 10;

/// Tasks in timeline order: started ones by first start, then the rest in plan order.
pub fn rows(state: &State) -> Vec<usize> {
    let mut rows: Vec<usize> = (0..state.nodes.len())
        .filter(|&i| !state.nodes[i].is_gate())
        .collect();
    rows.sort_by_key(|&i| (state.nodes[i].started_ms.unwrap_or(u64::MAX), i));
    rows
}

pub fn render(
    frame: &mut Frame,
    area: Rect,
    block: Block,
    state: &State,
    now: u64,
    scroll: usize,
    theme: Theme,
) {
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.width as usize <= LABEL_W + 4 || inner.height < 2 {
        return;
    }
    let unit = state.workflow.unit;
    let cols = inner.width as usize - LABEL_W - 1;
    let span_ms = state.estimated_makespan_ms.max(now).max(1);
    let span_ms = span_ms + span_ms / 20;
    let col_of = |t: u64| ((t as u128 * cols as u128) / span_ms as u128) as usize;

    let mut axis: Vec<(char, Style)> = vec![('─', theme.dim()); cols];
    let mut mark = |t: u64, c: char, style: Style| {
        let x = col_of(t).min(cols - 1);
        axis[x] = (c, style);
    };
    for n in state
        .nodes
        .iter()
        .filter(|n| n.is_gate() && n.finished_ms.is_some())
    {
        mark(n.finished_ms.unwrap_or(0), '◇', theme.status(n.status));
    }
    for b in &state.blockers {
        mark(b.raised_ms, '‼', theme.bad());
        if let Some(d) = &b.decision {
            mark(d.at_ms, '◆', theme.accent());
        }
    }
    mark(now, '┃', theme.bold());
    let mut lines = vec![Line::from(
        std::iter::once(Span::styled(
            pad(&format!("0…{}", unit.format(span_ms)), LABEL_W + 1),
            theme.dim(),
        ))
        .chain(
            axis.into_iter()
                .map(|(c, s)| Span::styled(c.to_string(), s)),
        )
        .collect::<Vec<_>>(),
    )];
    for &i in rows(state)
        .iter()
        .skip(scroll)
        .take(inner.height as usize - 1)
    {
        let node = &state.nodes[i];
        let mut cells: Vec<(char, Style)> = vec![(' ', Style::new()); cols];
        if let (None, TaskStatus::Pending | TaskStatus::Ready) = (node.started_ms, node.status) {
            cells[col_of(now).min(cols - 1)] = ('·', theme.dim());
        }
        for stint in &node.stints {
            let (a, b) = (col_of(stint.start_ms), col_of(stint.end_ms.unwrap_or(now)));
            let (c, style) = if stint.failed {
                ('▒', theme.bad())
            } else {
                ('█', theme.status(node.status))
            };
            for cell in cells.iter_mut().take((b + 1).min(cols)).skip(a) {
                *cell = (c, style);
            }
        }
        for b in state.blockers.iter().filter(|b| b.task == i) {
            let end = b.decision.as_ref().map_or(now, |d| d.at_ms);
            for cell in cells
                .iter_mut()
                .take((col_of(end) + 1).min(cols))
                .skip(col_of(b.raised_ms))
            {
                *cell = ('░', theme.bad());
            }
        }
        let label = Span::styled(pad(&node.task.id, LABEL_W) + " ", theme.status(node.status));
        lines.push(Line::from(
            std::iter::once(label)
                .chain(
                    cells
                        .into_iter()
                        .map(|(c, s)| Span::styled(c.to_string(), s)),
                )
                .collect::<Vec<_>>(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
