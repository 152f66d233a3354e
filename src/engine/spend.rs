//! What real agents spend, folded from `agent_usage` events: the latest usage of each attempt
//! (each report replaces the attempt's previous one), and the sums per task, per agent and for
//! the run — tokens in, out and cached, and US dollars. Dollars are kept as whole nanodollars so
//! that sums are exact whatever the order of the reports. Usage without a price counts its
//! tokens and is marked, never given a made-up cost. The budget limits in force (the workflow's,
//! or raised by a decision) live here too, so that a replay shows them as the run did.

use crate::engine::FastMap;
use serde::{Deserialize, Serialize};

/// Nanodollars per US dollar.
const NANOS: f64 = 1e9;

/// Tokens and dollars, summed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cached_tokens: u64,
    nanos: u64,
    /// Attempts (in this sum) whose usage has a cost, and whose usage has none.
    priced: u32,
    unpriced: u32,
}

impl Tally {
    fn of(usage: &AttemptUsage) -> Tally {
        Tally {
            input_tokens: usage.input_tokens,
            output_tokens: usage.output_tokens,
            cached_tokens: usage.cached_tokens,
            nanos: usage.cost_usd.map_or(0, to_nanos),
            priced: u32::from(usage.cost_usd.is_some()),
            unpriced: u32::from(usage.cost_usd.is_none()),
        }
    }

    fn add(&mut self, o: &Tally) {
        self.input_tokens = self.input_tokens.saturating_add(o.input_tokens);
        self.output_tokens = self.output_tokens.saturating_add(o.output_tokens);
        self.cached_tokens = self.cached_tokens.saturating_add(o.cached_tokens);
        self.nanos = self.nanos.saturating_add(o.nanos);
        self.priced += o.priced;
        self.unpriced += o.unpriced;
    }

    /// Takes back `o`, which this sum holds.
    fn sub(&mut self, o: &Tally) {
        self.input_tokens = self.input_tokens.saturating_sub(o.input_tokens);
        self.output_tokens = self.output_tokens.saturating_sub(o.output_tokens);
        self.cached_tokens = self.cached_tokens.saturating_sub(o.cached_tokens);
        self.nanos = self.nanos.saturating_sub(o.nanos);
        self.priced = self.priced.saturating_sub(o.priced);
        self.unpriced = self.unpriced.saturating_sub(o.unpriced);
    }

    /// Whether any usage was reported.
    pub fn is_empty(&self) -> bool {
        self.priced + self.unpriced == 0
    }

    /// The dollars of the usage that has a cost; `None` when none has.
    pub fn usd(&self) -> Option<f64> {
        (self.priced > 0).then(|| self.nanos as f64 / NANOS)
    }

    /// Whether some of the usage has no cost, so `usd` is less than the whole.
    pub fn partly_unpriced(&self) -> bool {
        self.unpriced > 0
    }

    /// The public form, for the summary and `--json`.
    pub fn figures(&self) -> Spend {
        Spend {
            input_tokens: self.input_tokens,
            output_tokens: self.output_tokens,
            cached_tokens: self.cached_tokens,
            cost_usd: self.usd(),
            unpriced: self.partly_unpriced(),
        }
    }
}

/// Tokens and dollars as the summary, `--json` and `run_finished` carry them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Spend {
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cached_tokens: u64,
    /// US dollars of the usage that has a cost (reported, or from `[settings.prices]`); absent
    /// when none has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_usd: Option<f64>,
    /// True when some usage has no cost (a model without a price): `cost_usd` is then less than
    /// the whole.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unpriced: bool,
}

/// One attempt's usage as recorded: its total so far.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AttemptUsage {
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cached_tokens: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_usd: Option<f64>,
    /// Who gave the cost: the agent itself, or the workflow's prices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_from: Option<CostFrom>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
}

/// Where an attempt's cost comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CostFrom {
    /// The agent reported it (Claude Code's `total_cost_usd`, a command agent's `cost_usd`).
    Agent,
    /// Its tokens priced by `[settings.prices]`.
    Prices,
}

/// The run's spending so far and the budget limits in force.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ledger {
    attempts: FastMap<(usize, u32), (usize, Tally)>,
    tasks: FastMap<usize, Tally>,
    agents: FastMap<usize, Tally>,
    run: Tally,
    /// The run's limit once a decision raised it (else the workflow's).
    pub run_limit_usd: Option<f64>,
    /// Tasks' limits raised by a decision.
    pub task_limits_usd: FastMap<usize, f64>,
}

impl Ledger {
    /// Attempt `attempt` of task `t` on agent `a` has used `usage` so far.
    pub fn record(&mut self, t: usize, attempt: u32, a: usize, usage: &AttemptUsage) {
        let new = Tally::of(usage);
        if let Some((was_on, old)) = self.attempts.insert((t, attempt), (a, new)) {
            self.tasks.entry(t).or_default().sub(&old);
            self.agents.entry(was_on).or_default().sub(&old);
            self.run.sub(&old);
        }
        self.tasks.entry(t).or_default().add(&new);
        self.agents.entry(a).or_default().add(&new);
        self.run.add(&new);
    }

    pub fn task(&self, t: usize) -> Tally {
        self.tasks.get(&t).copied().unwrap_or_default()
    }

    pub fn agent(&self, a: usize) -> Tally {
        self.agents.get(&a).copied().unwrap_or_default()
    }

    pub fn run(&self) -> Tally {
        self.run
    }

    /// The tasks that used something, by index, in index order.
    pub fn tasks_used(&self) -> Vec<usize> {
        let mut tasks: Vec<usize> = self
            .tasks
            .iter()
            .filter(|(_, t)| !t.is_empty())
            .map(|(&t, _)| t)
            .collect();
        tasks.sort_unstable();
        tasks
    }
}

fn to_nanos(usd: f64) -> u64 {
    if usd.is_finite() && usd > 0.0 {
        (usd * NANOS).round() as u64
    } else {
        0
    }
}

/// Dollars for display: `$0.0042`, `$1.25`, `$12.3k`; a `+` when some usage has no price.
pub fn usd_text(t: &Tally) -> Option<String> {
    let usd = t.usd()?;
    let text = match usd {
        u if u >= 10_000.0 => format!("${:.1}k", u / 1000.0),
        u if u >= 1.0 || u == 0.0 => format!("${u:.2}"),
        u => format!("${u:.4}"),
    };
    Some(if t.partly_unpriced() {
        format!("{text}+")
    } else {
        text
    })
}

/// Tokens and dollars as a short phrase: `$2.95 · 1.1M tok`, or `1.1M tok` without a price.
pub fn brief(t: &Tally) -> String {
    let tokens = tokens_text(t.input_tokens.saturating_add(t.output_tokens));
    match usd_text(t) {
        Some(usd) => format!("{usd} · {tokens} tok"),
        None => format!("{tokens} tok"),
    }
}

/// A token count for display: `950`, `12.3k`, `4.5M`.
pub fn tokens_text(n: u64) -> String {
    match n {
        n if n >= 1_000_000 => format!("{:.1}M", n as f64 / 1e6),
        n if n >= 1_000 => format!("{:.1}k", n as f64 / 1e3),
        n => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usage(input: u64, cost: Option<f64>) -> AttemptUsage {
        AttemptUsage {
            input_tokens: input,
            output_tokens: input / 2,
            cost_usd: cost,
            ..Default::default()
        }
    }

    #[test]
    fn a_later_report_replaces_the_attempts_earlier_one() {
        let mut ledger = Ledger::default();
        ledger.record(0, 1, 0, &usage(100, Some(0.1)));
        ledger.record(0, 1, 0, &usage(300, Some(0.3)));
        ledger.record(1, 1, 0, &usage(50, Some(0.2)));
        assert_eq!(ledger.task(0).input_tokens, 300);
        assert_eq!(ledger.task(0).usd(), Some(0.3));
        assert_eq!(ledger.agent(0).input_tokens, 350);
        assert_eq!(ledger.run().usd(), Some(0.5));
        assert_eq!(ledger.tasks_used(), vec![0, 1]);
    }

    #[test]
    fn usage_without_a_cost_counts_tokens_and_is_marked() {
        let mut ledger = Ledger::default();
        ledger.record(0, 1, 0, &usage(100, None));
        assert_eq!(ledger.run().usd(), None);
        assert_eq!(usd_text(&ledger.run()), None);
        ledger.record(1, 1, 1, &usage(10, Some(1.5)));
        assert_eq!(usd_text(&ledger.run()).as_deref(), Some("$1.50+"));
        assert!(ledger.run().figures().unpriced);
        assert_eq!(tokens_text(12_345), "12.3k");
    }
}
