//! Checks a resolved workflow against the rules a workflow file obeys: the one a recording's
//! header carries was never read from a file here, so it is checked as if it were (ids, unique
//! and known references, no dependency cycle, every number and duration in range, the limits
//! on repeated work), with the same rules (`super::rules`) reading a file applies. A workflow
//! read from a file passes it too. The answer is the first broken rule, in one sentence.

use super::graph::dependency_cycle;
use super::model::{Blocker, Task, Workflow};
use super::rules::{self, Rule};
use std::collections::HashSet;

/// Ids, hashed fast: a workflow of 100,000 tasks is checked in linear time.
type Names<'a> = HashSet<&'a str, foldhash::fast::RandomState>;

/// The first rule `w` breaks, if any.
pub fn check(w: &Workflow) -> Rule {
    rules::id(&w.name)?;
    if w.tasks.is_empty() || w.agents.is_empty() {
        return Err("the workflow has no tasks or no agents".into());
    }
    settings(w)?;
    let agents = unique("agent", w.agents.iter().map(|a| a.id.as_str()))?;
    for a in &w.agents {
        rules::id(&a.id)?;
        for b in &a.backups {
            known("backup agent", b, &agents)?;
        }
    }
    for (name, cap) in &w.resources {
        rules::capacity(name, *cap)?;
    }
    let added = w
        .blockers
        .iter()
        .flat_map(|b| b.report.options.iter().flat_map(|o| &o.effect.add_tasks))
        .chain(w.gates.iter().flat_map(|g| &g.remediation))
        .chain(w.phases.iter().flat_map(|p| &p.rollback));
    let all_tasks: Vec<&Task> = w.tasks.iter().chain(added).collect();
    let ids = unique(
        "task or gate",
        all_tasks
            .iter()
            .map(|t| t.id.as_str())
            .chain(w.gates.iter().map(|g| g.id.as_str())),
    )?;
    let phases: Names = w.phases.iter().map(|p| p.id.as_str()).collect();
    for t in &all_tasks {
        task(w, t, &ids, &agents, &phases)?;
    }
    for g in &w.gates {
        rules::id(&g.id)?;
        rules::remediation(&g.id, g.remediation.len())?;
        for a in &g.after {
            known("task or gate", a, &ids)?;
        }
    }
    unique("blocker", w.blockers.iter().map(|b| b.id.as_str()))?;
    for b in &w.blockers {
        blocker(b, &ids, &agents)?;
    }
    rules::no_cycle(dependency_cycle(&w.tasks, &w.gates).as_deref())
}

fn settings(w: &Workflow) -> Rule {
    let s = &w.settings;
    rules::max_parallel(s.max_parallel)?;
    rules::max_retries(s.max_retries)?;
    rules::progress_step(s.progress_step)?;
    rules::failure_rate(s.alerts.failure_rate)?;
    rules::overrun(s.alerts.overrun)?;
    rules::duration_ms("retry_backoff", s.retry_backoff_ms)?;
    let e = &s.escalation;
    rules::duration_ms("decide_after", e.decide_after_ms)?;
    for (field, ms) in [
        ("blocker_limit", e.blocker_limit_ms),
        ("run_budget", e.run_budget_ms),
    ] {
        rules::duration_ms(field, ms.unwrap_or(0))?;
    }
    Ok(())
}

fn task(w: &Workflow, t: &Task, ids: &Names, agents: &Names, phases: &Names) -> Rule {
    rules::id(&t.id)?;
    match (&t.agent, &t.role) {
        (Some(a), _) => known("agent", a, agents)?,
        (None, Some(r)) if w.agents.iter().any(|a| a.has_role(r)) => {}
        _ => return Err(format!("no agent can take task `{}`", t.id)),
    }
    for d in &t.depends_on {
        known("dependency", d, ids)?;
    }
    if let Some(p) = &t.phase {
        known("phase", p, phases)?;
    }
    for r in &t.resources {
        if !w.resources.contains_key(r) {
            return Err(format!("unknown resource `{r}` in task `{}`", t.id));
        }
    }
    rules::duration_ms("estimate", t.estimate_ms)?;
    let durations = [t.sim.actual_ms, t.timeout_ms]
        .into_iter()
        .chain([t.review.as_ref().and_then(|r| r.fix_estimate_ms)]);
    for ms in durations.flatten() {
        rules::duration_ms("a duration", ms)?;
    }
    if let Some(j) = t.sim.jitter {
        rules::jitter(j)?;
    }
    if let Some(f) = t.sim.fail_at {
        rules::fail_at(f)?;
    }
    rules::fail_times(t.sim.fail_times)?;
    if let Some(r) = &t.review {
        rules::review_rounds("rounds", r.rounds)?;
        rules::review_rounds("max_rounds", r.max_rounds)?;
    }
    Ok(())
}

fn blocker(b: &Blocker, ids: &Names, agents: &Names) -> Rule {
    rules::id(&b.id)?;
    known("task", &b.task, ids)?;
    rules::blocker_at(b.at_pct)?;
    rules::recommended(&b.id, b.report.recommended, b.report.options.len())?;
    for o in &b.report.options {
        let e = &o.effect;
        rules::duration_ms("delay", e.delay_ms)?;
        rules::duration_ms("remaining", e.remaining_ms.unwrap_or(0))?;
        if let Some(a) = &e.swap_agent {
            known("agent", a, agents)?;
        }
        for a in &e.adjust {
            known("task", &a.task, ids)?;
            rules::duration_ms("adjust", a.by_ms)?;
        }
    }
    Ok(())
}

/// The ids, or the first one given twice.
fn unique<'a>(what: &str, ids: impl Iterator<Item = &'a str>) -> Result<Names<'a>, String> {
    let mut seen = Names::default();
    for id in ids {
        if !seen.insert(id) {
            return Err(format!("{what} `{id}` is defined twice"));
        }
    }
    Ok(seen)
}

fn known(what: &str, id: &str, ids: &Names) -> Rule {
    match ids.contains(id) {
        true => Ok(()),
        false => Err(format!("unknown {what} `{id}`")),
    }
}
