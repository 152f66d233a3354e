//! Every simulated scenario under `config/` run headless on virtual time through the real
//! binary, its JSON summary (and, where the order of events matters, its recording) checked
//! against what the scenario means. Expectations are worked out from the workflow file itself: its
//! durations, failures, gates, blockers and escalation settings.

mod common;

use common::{HOUR, Output, config, finish_times, orch, run_recorded};
use orch_tui::engine::{Actor, Event, EventBody, RunStatus, Summary};
use orch_tui::workflow::model::{GateOutcome, Task, Workflow};
use std::collections::HashMap;
use std::path::PathBuf;

/// Runs a scenario headless with `--instant --no-record --json`.
fn run_summary(name: &str) -> (Output, Summary) {
    let file = config(name);
    let out = orch([
        "run".as_ref(),
        file.as_os_str(),
        "--headless".as_ref(),
        "--instant".as_ref(),
        "--no-record".as_ref(),
        "--json".as_ref(),
    ]);
    out.assert_no_panic();
    let summary = out.summary();
    (out, summary)
}

fn workflow(name: &str) -> Workflow {
    orch_tui::workflow::load(&config(name)).unwrap_or_else(|e| panic!("{e}"))
}

fn task<'a>(w: &'a Workflow, id: &str) -> &'a Task {
    w.tasks
        .iter()
        .find(|t| t.id == id)
        .unwrap_or_else(|| panic!("the workflow has task `{id}`"))
}

/// The real duration of a task without jitter: `sim.actual`, else the estimate.
fn actual_ms(t: &Task) -> u64 {
    t.sim.actual_ms.unwrap_or(t.estimate_ms)
}

/// The events of `task` of the given kind.
fn events_of<'a>(events: &'a [Event], kind: &str, task: &str) -> Vec<&'a Event> {
    events
        .iter()
        .filter(|e| e.body.kind() == kind)
        .filter(|e| match &e.body {
            EventBody::TaskStarted { task: t, .. }
            | EventBody::TaskCompleted { task: t, .. }
            | EventBody::TaskFailed { task: t, .. }
            | EventBody::TaskReassigned { task: t, .. }
            | EventBody::TaskSkipped { task: t, .. } => t == task,
            _ => false,
        })
        .collect()
}

#[test]
fn every_scenario_runs_headless_to_a_summary() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(config(""))
        .expect("config/ is readable")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        // Real agents run on the wall clock, not --instant: tests/real_agents_example.rs.
        .filter(|p| orch_tui::workflow::load(p).is_ok_and(|w| !w.has_command_agents()))
        .collect();
    files.sort();
    assert_eq!(files.len(), 5, "five simulated scenarios: {files:?}");
    for file in files {
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let (out, summary) = run_summary(name);
        assert_eq!(out.code, summary.status.exit_code(), "{name}: exit code");
        assert_eq!(
            out.stderr, "",
            "{name}: nothing on stderr without a recording"
        );
        let w = workflow(name);
        let ended = summary.tasks_done + summary.tasks_failed + summary.tasks_skipped;
        assert!(ended >= w.tasks.len(), "{name}: every task ends");
    }
}

#[test]
fn analytics_takes_the_recommended_upgrade_and_finishes_in_nine_and_a_half_hours() {
    let w = workflow("analytics-dashboard.toml");
    let blocker = &w.blockers[0];
    assert_eq!(
        (blocker.id.as_str(), blocker.task.as_str()),
        ("ws-leak", "B")
    );
    assert_eq!(blocker.report.recommended, 1);
    let delay = blocker.report.options[0].effect.delay_ms;
    assert_eq!(delay, 30 * common::MINUTE);

    // Every task has its own agent, so each starts when its last dependency is done.
    let took = |t: &Task| actual_ms(t) + if t.id == blocker.task { delay } else { 0 };
    let finish = finish_times(&w, took);
    let makespan = finish.values().copied().max().unwrap_or(0);
    let sequential: u64 = w.tasks.iter().map(took).sum();
    assert_eq!(
        makespan,
        9 * HOUR + HOUR / 2,
        "A 3.5h, C 4h, integration 2h"
    );
    assert_eq!(sequential, 14 * HOUR);

    let (out, s) = run_summary("analytics-dashboard.toml");
    assert_eq!(out.code, 0);
    assert_eq!(s.status, RunStatus::Succeeded);
    assert_eq!(s.makespan_ms, makespan);
    assert_eq!(s.estimated_makespan_ms, 11 * HOUR);
    assert_eq!(s.sequential_ms, sequential);
    assert_eq!(s.tasks_done, w.tasks.len());
    assert_eq!(s.blockers.len(), 1);
    let decided = &s.blockers[0];
    assert_eq!(decided.id, "ws-leak");
    assert_eq!(decided.option, Some(1));
    assert_eq!(
        decided.label.as_deref(),
        Some(blocker.report.options[0].label.as_str())
    );
    // A high-severity blocker is not policy's to decide; --decide (recommended by default)
    // stands in for the person, at once.
    assert_eq!(decided.waited_ms, 0);
}

#[test]
fn security_evaluates_both_gates_and_runs_the_remediation() {
    let w = workflow("security-enhancement.toml");
    let (out, s) = run_summary("security-enhancement.toml");
    assert_eq!(out.code, 0);
    assert_eq!(s.status, RunStatus::Succeeded);
    assert_eq!(s.gates.len(), 2);
    for gate in &w.gates {
        let result = s.gates.iter().find(|g| g.id == gate.id);
        assert_eq!(
            result.and_then(|g| g.status),
            Some(gate.outcome),
            "{}",
            gate.id
        );
    }
    let remediated: Vec<&str> = w
        .gates
        .iter()
        .filter(|g| g.outcome == GateOutcome::PassedWithRemediation)
        .flat_map(|g| g.remediation.iter().map(|t| t.id.as_str()))
        .collect();
    assert_eq!(remediated, ["pci-audit-logging", "key-rotation-testing"]);
    assert_eq!(s.tasks_done, w.tasks.len() + remediated.len());

    // The medium-severity conflict is policy's, after the escalation delay.
    let escalation = &w.settings.escalation;
    assert_eq!(s.blockers.len(), 1);
    assert_eq!(s.blockers[0].by, Some(Actor::Policy));
    assert_eq!(s.blockers[0].waited_ms, escalation.decide_after_ms);
    assert_eq!(escalation.decide_after_ms, 24 * HOUR);

    let (_, recording) = run_recorded(&config("security-enhancement.toml"), &[]);
    for id in remediated {
        let done = events_of(&recording.events, "task_completed", id);
        assert_eq!(done.len(), 1, "remediation task {id} ran once");
    }
}

#[test]
fn jwt_implementation_fails_once_moves_to_the_backup_and_the_review_sends_it_back_once() {
    let w = workflow("jwt-auth.toml");
    let implement = task(&w, "implement");
    let research = task(&w, "research");
    let fail_at = implement.sim.fail_at.expect("implement fails somewhere");
    assert_eq!(implement.sim.fail_times, 1);
    assert_eq!(w.settings.max_retries, 0, "the first failure reassigns");
    let developer = w.agents.iter().find(|a| a.id == "developer");
    assert_eq!(
        developer.map(|a| a.backups.clone()),
        Some(vec!["developer-2".to_string()])
    );

    let (out, recording) = run_recorded(&config("jwt-auth.toml"), &[]);
    assert_eq!(out.code, 0);
    let events = &recording.events;
    let failed = events_of(events, "task_failed", "implement");
    let started_at = research.estimate_ms;
    let failed_at = started_at + implement.estimate_ms * u64::from(fail_at) / 100;
    assert_eq!(failed.len(), 1, "exactly one failure");
    assert_eq!(failed[0].at_ms, failed_at);
    assert!(matches!(
        &failed[0].body,
        EventBody::TaskFailed { agent, is_final: false, .. } if agent == "developer"
    ));
    let moved = events_of(events, "task_reassigned", "implement");
    assert_eq!(moved.len(), 1);
    assert!(matches!(
        &moved[0].body,
        EventBody::TaskReassigned { from, to, .. } if from == "developer" && to == "developer-2"
    ));
    let done = events_of(events, "task_completed", "implement");
    assert_eq!(done.len(), 1);
    assert!(matches!(
        &done[0].body,
        EventBody::TaskCompleted { agent, .. } if agent == "developer-2"
    ));
    assert_eq!(
        done[0].at_ms,
        failed_at + implement.estimate_ms,
        "starts over"
    );

    // The security review sends the work back once: the backup developer, who wrote it, is
    // handed the findings; the re-review approves.
    let handed = |from: &str, to: &str, words: &str| {
        events.iter().any(|e| {
            matches!(&e.body, EventBody::Message { text, .. }
                if text.starts_with(&format!("handoff {from} → {to}:")) && text.contains(words))
        })
    };
    assert!(handed(
        "security-review",
        "security-review-fix1",
        "85/100; 3 findings"
    ));
    assert!(handed(
        "security-review-fix1",
        "security-review-rereview1",
        "fixed"
    ));
    assert!(handed(
        "security-review-rereview1",
        "final-review",
        "approved for merge"
    ));

    let (_, s) = run_summary("jwt-auth.toml");
    assert_eq!(s.status, RunStatus::Succeeded);
    assert_eq!(
        s.tasks_done,
        w.tasks.len() + 2,
        "the security review's loop added a fix and a re-review"
    );
    let figures = |id: &str| s.agents.iter().find(|a| a.id == id).cloned();
    assert_eq!(figures("developer").map(|a| a.tasks_failed), Some(1));
    assert_eq!(
        figures("developer-2").map(|a| a.tasks_done),
        Some(2),
        "the implementation, then the fix of the review's findings"
    );
}

#[test]
fn shopping_cart_never_lets_two_tasks_hold_the_staging_database_at_once() {
    let w = workflow("shopping-cart.toml");
    assert_eq!(w.resources.get("staging-db"), Some(&1));
    let (out, recording) = run_recorded(&config("shopping-cart.toml"), &[]);
    assert_eq!(out.code, 0);
    assert_eq!(out.summary().status, RunStatus::Succeeded);
    let holders: Vec<&str> = recording
        .header
        .workflow
        .tasks
        .iter()
        .filter(|t| t.resources.iter().any(|r| r == "staging-db"))
        .map(|t| t.id.as_str())
        .collect();
    assert_eq!(holders, ["cart-backend", "frontend-cart"]);

    // When each holder held it: from its start to its end.
    let mut spans: Vec<(u64, u64, &str)> = Vec::new();
    let mut open: HashMap<&str, u64> = HashMap::new();
    for e in &recording.events {
        match &e.body {
            EventBody::TaskStarted { task, .. } if holders.contains(&task.as_str()) => {
                open.insert(task, e.at_ms);
            }
            EventBody::TaskCompleted { task, .. }
            | EventBody::TaskFailed { task, .. }
            | EventBody::TaskReassigned { task, .. } => {
                if let Some(start) = open.remove(task.as_str()) {
                    spans.push((start, e.at_ms, task));
                }
            }
            _ => {}
        }
    }
    assert!(open.is_empty(), "every holder let go: {open:?}");
    assert_eq!(spans.len(), 2);
    spans.sort();
    let (first, second) = (spans[0], spans[1]);
    assert!(
        second.0 >= first.1,
        "{} held staging-db from {} to {} while {} held it from {} to {}",
        second.2,
        second.0,
        second.1,
        first.2,
        first.0,
        first.1
    );
    // The backend is ready once the schema is done (3.5h), before the frontend (started at 3h,
    // at least 2.4h long) lets go: it starts the moment the database is free.
    assert_eq!(second.0, first.1);
}

#[test]
fn inspection_release_fails_its_smoke_tests_skips_production_and_rolls_back() {
    let w = workflow("inspection-collaboration.toml");
    let smoke = task(&w, "smoke-tests");
    assert!(
        smoke.sim.fail_times > w.settings.max_retries,
        "fails for good"
    );
    let rollback: Vec<&str> = w
        .phases
        .iter()
        .find(|p| p.id == "release")
        .map(|p| p.rollback.iter().map(|t| t.id.as_str()).collect())
        .unwrap_or_default();
    assert_eq!(rollback, ["rollback-staging", "replan-release"]);

    let (out, s) = run_summary("inspection-collaboration.toml");
    assert_eq!(out.code, 1, "a failed run exits 1");
    assert_eq!(s.status, RunStatus::Failed);
    assert_eq!(s.tasks_failed, 1);
    assert_eq!(s.tasks_skipped, 1);
    assert_eq!(s.tasks_done, w.tasks.len() - 2 + rollback.len());

    let (_, recording) = run_recorded(&config("inspection-collaboration.toml"), &[]);
    let events = &recording.events;
    let failures = events_of(events, "task_failed", "smoke-tests");
    let attempts = w.settings.max_retries as usize + 1;
    assert_eq!(failures.len(), attempts, "a retry, then the end");
    let finals: Vec<bool> = failures
        .iter()
        .map(|e| matches!(e.body, EventBody::TaskFailed { is_final, .. } if is_final))
        .collect();
    assert_eq!(finals.last(), Some(&true));
    assert_eq!(finals.iter().filter(|f| **f).count(), 1);
    assert_eq!(
        events_of(events, "task_skipped", "deploy-production").len(),
        1
    );
    assert!(events_of(events, "task_started", "deploy-production").is_empty());
    let failed_at = failures.last().map_or(0, |e| e.at_ms);
    for id in rollback {
        let done = events_of(events, "task_completed", id);
        assert_eq!(done.len(), 1, "rollback task {id} ran");
        assert!(done[0].at_ms > failed_at);
    }
}
