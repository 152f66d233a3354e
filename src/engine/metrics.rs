//! Per-agent performance figures, computed from the run's `State` alone: tasks completed and
//! failed, mean completion time and its ratio to the estimate, escalation rate (blockers raised
//! on its tasks per task it ran), utilization over the run, and its activity over time as the
//! busy share of each of a number of equal time buckets (drawn as a sparkline), and the tokens
//! and dollars it spent. The dashboard's
//! metrics view, the headless summary and the recording's `run_finished` all show these.

use crate::engine::spend::Spend;
use crate::engine::state::{State, TaskStatus};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// How many time buckets the summary's activity line has.
pub const SUMMARY_BUCKETS: usize = 24;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentFigures {
    pub id: String,
    pub busy_ms: u64,
    pub utilization_pct: f64,
    pub tasks_done: u32,
    pub tasks_failed: u32,
    /// Mean of actual / estimate over the tasks it finished (1.0 = on estimate).
    pub actual_vs_estimate: Option<f64>,
    /// Mean time the tasks it finished held an agent.
    #[serde(default)]
    pub mean_completion_ms: Option<u64>,
    /// Distinct tasks it held at some point.
    #[serde(default)]
    pub tasks_run: u32,
    /// Blockers raised on tasks it held.
    #[serde(default)]
    pub escalations: u32,
    /// Escalations per task run, in percent.
    #[serde(default)]
    pub escalation_rate_pct: f64,
    /// Busy share of each equal slice of the run so far, in percent (oldest first).
    #[serde(default)]
    pub activity_pct: Vec<u8>,
    /// Tokens and dollars it spent (real agents).
    #[serde(default)]
    pub spend: Spend,
}

/// The figures of every agent at run time `now` (at or after the state's last event), activity
/// in `buckets` slices.
pub fn agent_figures(state: &State, now: u64, buckets: usize) -> Vec<AgentFigures> {
    let agents = state.agents.len();
    let mut finished: Vec<Vec<(u64, u64)>> = vec![Vec::new(); agents];
    let mut ran: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); agents];
    let mut stints: Vec<Vec<(u64, u64)>> = vec![Vec::new(); agents];
    for (t, node) in state.nodes.iter().enumerate() {
        for s in &node.stints {
            ran[s.agent].insert(t);
            stints[s.agent].push((s.start_ms, s.end_ms.unwrap_or(now)));
        }
        if let (TaskStatus::Done, Some(a)) = (node.status, node.agent) {
            finished[a].push((node.held_ms(now), node.task.estimate_ms));
        }
    }
    let mut escalations = vec![0u32; agents];
    for b in &state.blockers {
        escalations[b.agent] += 1;
    }
    state
        .agents
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let done = &finished[i];
            let ratios: Vec<f64> = done
                .iter()
                .filter(|(_, estimate)| *estimate > 0)
                .map(|(took, estimate)| *took as f64 / *estimate as f64)
                .collect();
            let busy = a.busy_at(now);
            let tasks_run = ran[i].len() as u32;
            AgentFigures {
                id: a.agent.id.clone(),
                busy_ms: busy,
                utilization_pct: percent(busy as f64, now as f64),
                tasks_done: a.done,
                tasks_failed: a.failed,
                actual_vs_estimate: mean(&ratios).map(round2),
                mean_completion_ms: (!done.is_empty())
                    .then(|| done.iter().map(|(took, _)| took).sum::<u64>() / done.len() as u64),
                tasks_run,
                escalations: escalations[i],
                escalation_rate_pct: percent(f64::from(escalations[i]), f64::from(tasks_run)),
                activity_pct: activity(&stints[i], now, buckets),
                spend: state.spend.agent(i).figures(),
            }
        })
        .collect()
}

/// The busy share of each of `buckets` equal slices of `[0, now)`.
fn activity(stints: &[(u64, u64)], now: u64, buckets: usize) -> Vec<u8> {
    if now == 0 || buckets == 0 {
        return vec![0; buckets];
    }
    let width = now as f64 / buckets as f64;
    let mut busy = vec![0f64; buckets];
    for &(start, end) in stints {
        let (start, end) = (start as f64, end.min(now) as f64);
        if end <= start {
            continue;
        }
        let first = ((start / width) as usize).min(buckets - 1);
        let last = ((end / width).ceil() as usize).min(buckets);
        for (k, b) in busy.iter_mut().enumerate().take(last).skip(first) {
            let (lo, hi) = (k as f64 * width, (k + 1) as f64 * width);
            *b += (end.min(hi) - start.max(lo)).max(0.0);
        }
    }
    busy.into_iter()
        .map(|b| (100.0 * b / width).round().clamp(0.0, 100.0) as u8)
        .collect()
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// `100 × part / whole` to one decimal, 0 when `whole` is 0.
fn percent(part: f64, whole: f64) -> f64 {
    if whole == 0.0 {
        0.0
    } else {
        (1000.0 * part / whole).round() / 10.0
    }
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// Percentages as a line of block characters, one per value (`▁` for 0 up to `█` for 100).
pub fn sparkline(values: &[u8]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    values
        .iter()
        .map(|&v| BARS[(usize::from(v.min(100)) * (BARS.len() - 1) + 50) / 100])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activity_splits_busy_time_over_buckets() {
        // Busy from 0 to 25 and from 50 to 100 of a run of 100, in four buckets.
        assert_eq!(
            activity(&[(0, 25), (50, 100)], 100, 4),
            vec![100, 0, 100, 100]
        );
        // Half of the second bucket.
        assert_eq!(activity(&[(30, 40)], 80, 4), vec![0, 50, 0, 0]);
        assert_eq!(activity(&[], 0, 3), vec![0, 0, 0]);
    }

    #[test]
    fn sparkline_scales_percent_to_bars() {
        assert_eq!(sparkline(&[0, 50, 100]), "▁▅█");
    }
}
