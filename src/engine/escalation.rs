//! Escalation rules from `[settings.escalation]`: routing — a blocker of a given category is led
//! by a given agent or role (security implications → the security agent), recorded with the
//! blocker and shown wherever it is; and time rules — a blocker policy would decide that stays
//! open past `blocker_limit`, or any blocker once the run is past its `run_budget`, goes to a
//! person, cancelling the automatic decision (`blocker_escalated`, with the reason).

use super::core::{DecideMode, Engine};
use super::event::{Actor, Decider, EventBody};
use super::summary::RunStatus;
use crate::workflow::model::BlockerReport;

impl Engine {
    /// Who leads a blocker with this report, by the first route of its category.
    pub(super) fn lead_for(&self, report: &BlockerReport) -> Option<String> {
        let category = super::alerts::category(report);
        self.state
            .workflow
            .settings
            .escalation
            .routes
            .iter()
            .find(|r| r.category.eq_ignore_ascii_case(category))
            .map(|r| r.lead.clone())
    }

    /// Whether the run is past its time budget: from then on a person decides every blocker.
    pub(super) fn over_budget(&self) -> bool {
        let budget = self.state.workflow.settings.escalation.run_budget_ms;
        budget.is_some_and(|b| self.clock > b)
    }

    /// When a blocker raised now, which policy would decide at `policy_at`, goes to a person
    /// instead — if a time rule comes first.
    pub(super) fn escalation_due(&self, policy_at: u64) -> Option<u64> {
        let escalation = &self.state.workflow.settings.escalation;
        let limit = escalation.blocker_limit_ms.map(|l| self.clock + l);
        let budget = escalation.run_budget_ms.map(|b| b.max(self.clock) + 1);
        [limit, budget]
            .into_iter()
            .flatten()
            .min()
            .filter(|&due| due < policy_at)
    }

    /// Sends a blocker policy would decide to a person, if a time rule says so now.
    pub(super) fn escalate(&mut self, b: usize) {
        let blocker = &self.state.blockers[b];
        if !blocker.is_open() || blocker.decides != Decider::Policy {
            return;
        }
        let escalation = &self.state.workflow.settings.escalation;
        let unit = self.state.workflow.unit;
        let open_for = self.clock.saturating_sub(blocker.raised_ms);
        let reason = match (escalation.run_budget_ms, escalation.blocker_limit_ms) {
            (Some(budget), _) if self.clock > budget => {
                format!("the run is past its {} budget", unit.format(budget))
            }
            (_, Some(limit)) if open_for >= limit => {
                format!("open longer than {}", unit.format(limit))
            }
            _ => return,
        };
        let (id, recommended) = (blocker.id.clone(), blocker.report.recommended);
        self.emit(EventBody::BlockerEscalated {
            blocker: id.clone(),
            reason,
        });
        self.await_person(&id, recommended);
    }

    /// A blocker now waits for a person: the dashboard's, or the stand-in `--decide` names in a
    /// headless run.
    pub(super) fn await_person(&mut self, blocker: &str, recommended: usize) {
        match self.decide_mode() {
            DecideMode::Person => {}
            DecideMode::None => self.finish(RunStatus::AwaitingDecision),
            DecideMode::Recommended => {
                let _ = self.decide(blocker, recommended, Actor::Policy);
            }
            DecideMode::First => {
                let _ = self.decide(blocker, 1, Actor::Policy);
            }
        }
    }
}
