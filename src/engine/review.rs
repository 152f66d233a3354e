//! Review loops: a task with `review` checks the work of its first dependency. When its
//! simulated work is done and it still has rounds of changes to request, it sends the work back
//! — a fix for the agent that did the work (handed the review's findings) and a re-review,
//! which the review's dependants now wait for too. Past `max_rounds` a person decides instead: a
//! blocker holds the review open, to accept the work as it is or ask for one more pass.

use super::core::Engine;
use super::event::{Actor, Decider, EventBody, PlanChange};
use super::state::TaskStatus;
use crate::workflow::model::{
    BlockerReport, DecisionOption, Effect, Review, Severity, SimBehaviour, Task,
};

impl Engine {
    /// Called when task `t`'s work is done, before it completes: sends the work back or asks a
    /// person when it is a review with changes to request. Returns true when the task is held
    /// open for a person's decision.
    pub(super) fn review_holds(&mut self, t: usize) -> bool {
        let node = &self.state.nodes[t];
        let Some(review) = node.task.review.clone() else {
            return false;
        };
        let (Some(&work), Some(reviewer)) = (node.deps.first(), node.agent) else {
            return false;
        };
        if review.round >= review.rounds {
            return false;
        }
        let root = node
            .task
            .id
            .strip_suffix(&format!("-rereview{}", review.round))
            .unwrap_or(&node.task.id)
            .to_string();
        if review.round >= review.max_rounds {
            return self.ask_person(t, &root, &review);
        }
        let next = review.round + 1;
        let reviewed = &self.state.nodes[work];
        let author = reviewed
            .agent
            .map(|a| self.state.agents[a].agent.id.clone());
        let fix = Task {
            id: format!("{root}-fix{next}"),
            name: format!("Fix review findings (round {next})"),
            description: String::new(),
            role: author.is_none().then(|| reviewed.task.wants().to_string()),
            agent: author,
            estimate_ms: review.fix_estimate_ms.unwrap_or(reviewed.task.estimate_ms),
            depends_on: vec![node.task.id.clone()],
            priority: node.task.priority,
            phase: None,
            resources: Vec::new(),
            context: Default::default(),
            output: Some(format!("findings of {root} round {next} fixed")),
            sim: SimBehaviour::default(),
            review: None,
            prompt: None,
            argv: None,
            timeout_ms: None,
        };
        let approves = next >= review.rounds;
        let rereview =
            Task {
                id: format!("{root}-rereview{next}"),
                name: format!("Re-review (round {next})"),
                agent: Some(self.state.agents[reviewer].agent.id.clone()),
                role: None,
                depends_on: vec![fix.id.clone()],
                output: if approves {
                    Some(review.approval.clone().unwrap_or_else(|| {
                        format!("{root}: approved after {next} round(s) of fixes")
                    }))
                } else {
                    node.task.output.clone()
                },
                review: Some(Review {
                    round: next,
                    ..review
                }),
                sim: SimBehaviour::default(),
                ..(*node.task).clone()
            };
        let waiting: Vec<String> = node
            .dependants
            .iter()
            .map(|&d| &self.state.nodes[d])
            .filter(|d| matches!(d.status, TaskStatus::Pending | TaskStatus::Ready))
            .map(|d| d.task.id.clone())
            .collect();
        self.scheduler.deviate();
        for (task, before) in [(fix, Vec::new()), (rereview, waiting)] {
            self.emit(EventBody::PlanChanged {
                change: PlanChange::AddTask {
                    task: Box::new(task),
                    before,
                },
                by: Actor::Policy,
                who: None,
            });
        }
        false
    }

    /// Holds review `t` open with a blocker a person decides: accept the work, or one more pass.
    fn ask_person(&mut self, t: usize, root: &str, review: &Review) -> bool {
        let id = format!("{root}-review-limit");
        if self.state.blocker_index(&id).is_some() {
            // Decided already: the review ends as the person chose.
            return false;
        }
        let node = &self.state.nodes[t];
        let report = BlockerReport {
            kind: "REVIEW".into(),
            severity: Severity::High,
            category: "QUALITY".into(),
            title: format!(
                "{root} still requests changes after {} round(s) of fixes",
                review.max_rounds
            ),
            issue: node.task.output.clone().unwrap_or_default(),
            impact: "the work cannot be approved without a person".into(),
            options: vec![
                DecisionOption {
                    label: "Accept the work with the open findings".into(),
                    pros: "the run goes on now".into(),
                    cons: "the findings stay open".into(),
                    timeline: "no delay".into(),
                    resources: String::new(),
                    effect: Effect {
                        remaining_ms: Some(0),
                        ..Effect::default()
                    },
                },
                DecisionOption {
                    label: "One more review pass".into(),
                    pros: "a last check of the fixes".into(),
                    cons: "another full review".into(),
                    timeline: String::new(),
                    resources: String::new(),
                    effect: Effect::default(),
                },
            ],
            recommended: 1,
        };
        let (task, agent) = (
            node.task.id.clone(),
            node.agent
                .map(|a| self.state.agents[a].agent.id.clone())
                .unwrap_or_default(),
        );
        // The review's work starts over, paused until the decision.
        let spec = node.task.clone();
        self.sim.start(t, &spec, &[], self.clock);
        self.sim.pause(t, self.clock);
        self.scheduler.deviate();
        let led_by = self.lead_for(&report);
        self.emit(EventBody::BlockerRaised {
            blocker: id.clone(),
            task,
            agent,
            report: Box::new(report),
            decides: Decider::Person,
            policy_at_ms: None,
            led_by,
        });
        self.await_person(&id, 1);
        true
    }
}
