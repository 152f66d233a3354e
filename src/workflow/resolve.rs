//! Turns a parsed workflow file into the checked `model::Workflow`: converts durations to
//! milliseconds, fills defaults, expands phases into dependencies, and refuses every dangling
//! reference, duplicate id, impossible task or bad number with the place it was written and,
//! where one is near, the id that was probably meant.

use super::command_agents::{agent_kind, task_overrides};
use super::file::*;
use super::graph::dependency_cycle;
use super::model::*;
use super::permissions::resolve_rules;
use super::rules::{self, Rule};
use crate::error::{InputError, closest};
use crate::time::{DurationError, TimeUnit, number_duration, parse_duration};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use toml::Spanned;

/// The text a workflow came from, for positions in errors.
pub struct Source<'a> {
    pub path: &'a str,
    pub text: &'a str,
}

impl Source<'_> {
    pub(super) fn err(&self, span: Range<usize>, message: impl Into<String>) -> InputError {
        InputError::at(self.path, self.text, span.start, message)
    }

    /// A rule's answer placed where the value was written.
    pub(super) fn obey(&self, span: Range<usize>, rule: Rule) -> Result<()> {
        rule.map_err(|message| self.err(span, message))
    }
}

pub(super) type Result<T> = std::result::Result<T, InputError>;

pub fn resolve(file: WorkflowFile, src: &Source) -> Result<Workflow> {
    let Some(workflow) = &file.workflow else {
        return Err(src.err(
            0..0,
            "the file has no [workflow] table; start it with [workflow] and a `name`",
        ));
    };
    let header_span = workflow.span();
    let header = workflow.get_ref();
    let unit = header.unit;
    check_id(src, &header.name)?;
    if file.tasks.is_empty() {
        return Err(src.err(
            header_span,
            "the workflow has no tasks; add at least one [[tasks]] table",
        ));
    }
    if file.agents.is_empty() {
        return Err(src.err(
            header_span,
            "the workflow has no agents; add at least one [[agents]] table",
        ));
    }

    let mut resources = BTreeMap::new();
    for (name, cap) in &file.resources {
        src.obey(cap.span(), rules::capacity(name, *cap.get_ref()))?;
        resources.insert(name.clone(), *cap.get_ref());
    }

    let agents = resolve_agents(&file.agents, src, unit)?;
    let ctx = Context {
        src,
        unit,
        agents: &agents,
        phases: file
            .phases
            .iter()
            .map(|p| p.id.get_ref().as_str())
            .collect(),
        agent_ids: agents.iter().map(|a| a.id.as_str()).collect(),
        roles: agents
            .iter()
            .flat_map(|a| std::iter::once(&a.role).chain(&a.skills))
            .map(String::as_str)
            .collect(),
        resource_names: resources.keys().map(String::as_str).collect(),
    };
    unique(src, "phase", file.phases.iter().map(|p| &p.id))?;

    // Every task-like id (tasks, gates, and the tasks that effects, gates and rollbacks may add)
    // lives in one namespace.
    let added: Vec<&TaskFile> = file
        .blockers
        .iter()
        .flat_map(|b| b.options.get_ref().iter().flat_map(|o| &o.effect.add_tasks))
        .chain(file.gates.iter().flat_map(|g| &g.remediation))
        .chain(file.phases.iter().flat_map(|p| &p.rollback))
        .collect();
    unique(
        src,
        "task or gate",
        file.tasks
            .iter()
            .map(|t| &t.id)
            .chain(file.gates.iter().map(|g| &g.id))
            .chain(added.iter().map(|t| &t.id)),
    )?;
    let base_ids: Ids = file
        .tasks
        .iter()
        .map(|t| t.id.get_ref().as_str())
        .chain(file.gates.iter().map(|g| g.id.get_ref().as_str()))
        .collect();
    let all_ids: Ids = base_ids
        .list
        .iter()
        .copied()
        .chain(added.iter().map(|t| t.id.get_ref().as_str()))
        .collect();

    let mut tasks = file
        .tasks
        .iter()
        .map(|t| ctx.task(t, &base_ids))
        .collect::<Result<Vec<_>>>()?;
    expand_phases(&file.phases, &mut tasks, src)?;

    let gates = file
        .gates
        .iter()
        .map(|g| {
            check_id(src, &g.id)?;
            // Placed at the first remediation task past the limit.
            if let Some(past) = g.remediation.get(rules::MAX_REMEDIATION_TASKS) {
                let rule = rules::remediation(g.id.get_ref(), g.remediation.len());
                src.obey(past.id.span(), rule)?;
            }
            if g.after.get_ref().is_empty() {
                return Err(src.err(
                    g.after.span(),
                    format!(
                        "gate `{}` has an empty `after`; name the tasks it checks",
                        g.id.get_ref()
                    ),
                ));
            }
            for a in g.after.get_ref() {
                known(src, a, &base_ids, "task or gate")?;
            }
            Ok(Gate {
                id: g.id.get_ref().clone(),
                name: g.name.clone().unwrap_or_else(|| g.id.get_ref().clone()),
                after: g
                    .after
                    .get_ref()
                    .iter()
                    .map(|a| a.get_ref().clone())
                    .collect(),
                outcome: g.outcome,
                remediation: ctx.added_tasks(&g.remediation, &base_ids, &all_ids)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;

    let phases = file
        .phases
        .iter()
        .map(|p| {
            Ok(Phase {
                id: p.id.get_ref().clone(),
                name: p.name.clone().unwrap_or_else(|| p.id.get_ref().clone()),
                sequential: p.mode == PhaseMode::Sequential,
                rollback: ctx.added_tasks(&p.rollback, &base_ids, &all_ids)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;

    unique(src, "blocker", file.blockers.iter().map(|b| &b.id))?;
    let task_ids: Ids = file.tasks.iter().map(|t| t.id.get_ref().as_str()).collect();
    let blockers = file
        .blockers
        .iter()
        .map(|b| ctx.blocker(b, &task_ids, &base_ids, &all_ids))
        .collect::<Result<Vec<_>>>()?;
    check_swaps(&file.blockers, &tasks, &agents, src)?;

    let declared: Vec<&Id> = file
        .tasks
        .iter()
        .map(|t| &t.id)
        .chain(file.gates.iter().map(|g| &g.id))
        .collect();
    check_cycles(&declared, &tasks, &gates, src)?;

    let settings = ctx.settings(&file.settings, agents.len())?;
    Ok(Workflow {
        name: header.name.get_ref().clone(),
        title: header.title.clone().unwrap_or_default(),
        description: header.description.clone(),
        unit,
        settings,
        resources,
        agents,
        phases,
        tasks,
        blockers,
        gates,
    })
    .map(|mut w| {
        if w.title.is_empty() {
            w.title = w.name.clone();
        }
        w
    })
    // What was checked above where it was written holds for the whole workflow as well.
    .and_then(|w| src.obey(header_span, super::check::check(&w)).map(|()| w))
}

/// Each option's `swap_agent` names an agent that may take the blocker's task, by the same
/// role check as a reassignment.
fn check_swaps(
    blockers: &[BlockerFile],
    tasks: &[Task],
    agents: &[Agent],
    src: &Source,
) -> Result<()> {
    let agent = |id: &str| agents.iter().find(|a| a.id == id);
    for b in blockers {
        let Some(task) = tasks.iter().find(|t| t.id == *b.task.get_ref()) else {
            continue;
        };
        let pinned_role = task
            .agent
            .as_deref()
            .and_then(agent)
            .map(|a| a.role.as_str());
        for o in b.options.get_ref() {
            let Some(to) = &o.effect.swap_agent else {
                continue;
            };
            if let Some(target) = agent(to.get_ref()) {
                target
                    .may_take_over(task, pinned_role)
                    .map_err(|e| src.err(to.span(), format!("`swap_agent`: {e}")))?;
            }
        }
    }
    Ok(())
}

/// A duration in milliseconds, or an error at the place it was written.
pub(super) fn duration(src: &Source, unit: TimeUnit, value: &DurationValue) -> Result<u64> {
    let parsed = match value.get_ref() {
        DurationText::Number(n) => number_duration(*n, unit),
        DurationText::Text(t) => parse_duration(t, unit),
    };
    parsed.map_err(|e: DurationError| src.err(value.span(), e.to_string()))
}

struct Context<'a> {
    src: &'a Source<'a>,
    unit: TimeUnit,
    agents: &'a [Agent],
    phases: Ids<'a>,
    agent_ids: Ids<'a>,
    /// Every role and skill some agent has.
    roles: Ids<'a>,
    resource_names: Ids<'a>,
}

impl Context<'_> {
    fn duration(&self, value: &DurationValue) -> Result<u64> {
        duration(self.src, self.unit, value)
    }

    fn task(&self, t: &TaskFile, known_ids: &Ids<'_>) -> Result<Task> {
        let src = self.src;
        check_id(src, &t.id)?;
        let id = t.id.get_ref();
        let agent = match &t.agent {
            Some(a) => Some(known(src, a, &self.agent_ids, "agent")?.to_string()),
            None => None,
        };
        let role = t.role.as_ref().map(|r| r.get_ref().clone());
        match (&agent, &t.role) {
            (None, None) => {
                return Err(src.err(
                    t.id.span(),
                    format!("task `{id}` names neither `agent` nor `role`; add one so some agent can take it"),
                ));
            }
            (None, Some(r)) if !self.roles.contains(r.get_ref()) => {
                let roles: Vec<String> = self.agents.iter().map(|a| a.role.clone()).collect();
                return Err(src.err(
                    r.span(),
                    format!(
                        "no agent can take task `{id}`: no agent has role `{}`{}",
                        r.get_ref(),
                        suggestion(r.get_ref(), &roles)
                    ),
                ));
            }
            _ => {}
        }
        for dep in &t.depends_on {
            if dep.get_ref() == id {
                return Err(src.err(
                    dep.span(),
                    format!("task `{id}` depends on itself: {id} -> {id}"),
                ));
            }
            known(src, dep, known_ids, "dependency")?;
        }
        if let Some(p) = &t.phase {
            known(src, p, &self.phases, "phase")?;
        }
        for r in &t.resources {
            known(src, r, &self.resource_names, "resource")?;
        }
        let sim = &t.sim;
        if let Some(j) = &sim.jitter {
            src.obey(j.span(), rules::jitter(*j.get_ref()))?;
        }
        if let Some(f) = &sim.fail_at {
            src.obey(f.span(), rules::fail_at(*f.get_ref()))?;
        }
        if let Some(f) = &sim.fail_times {
            src.obey(f.span(), rules::fail_times(*f.get_ref()))?;
        }
        let (argv, timeout_ms) = task_overrides(t, self.agents, src, self.unit)?;
        Ok(Task {
            id: id.clone(),
            name: t.name.clone().unwrap_or_else(|| id.clone()),
            description: t.description.clone(),
            agent,
            role,
            estimate_ms: self.duration(&t.estimate)?,
            depends_on: t.depends_on.iter().map(|d| d.get_ref().clone()).collect(),
            priority: t.priority,
            phase: t.phase.as_ref().map(|p| p.get_ref().clone()),
            resources: t.resources.iter().map(|r| r.get_ref().clone()).collect(),
            context: toml_to_json(&t.context),
            output: t.output.clone(),
            prompt: t.prompt.clone(),
            argv,
            timeout_ms,
            sim: SimBehaviour {
                actual_ms: sim.actual.as_ref().map(|a| self.duration(a)).transpose()?,
                jitter: sim.jitter.as_ref().map(|j| *j.get_ref()),
                fail_at: sim.fail_at.as_ref().map(|f| *f.get_ref()),
                fail_times: sim
                    .fail_times
                    .as_ref()
                    .map_or(u32::from(sim.fail_at.is_some()), |f| *f.get_ref()),
                fail_reason: sim.fail_reason.clone(),
            },
            review: t.review.as_ref().map(|r| self.review(r)).transpose()?,
        })
    }

    fn review(&self, r: &ReviewFile) -> Result<Review> {
        let rounds = |field: &str, value: &Option<Spanned<u32>>, default: u32| match value {
            Some(v) => self
                .src
                .obey(v.span(), rules::review_rounds(field, *v.get_ref()))
                .map(|()| *v.get_ref()),
            None => Ok(default),
        };
        Ok(Review {
            rounds: rounds("rounds", &r.rounds, 1)?,
            max_rounds: rounds("max_rounds", &r.max_rounds, 2)?,
            fix_estimate_ms: r
                .fix_estimate
                .as_ref()
                .map(|d| self.duration(d))
                .transpose()?,
            approval: r.approval.clone(),
            round: 0,
        })
    }

    /// Tasks added together during a run (a gate's remediation, a phase's rollback, an option's
    /// `add_tasks`) may depend on the workflow's own tasks and gates and on the tasks listed
    /// before them in the same list: only those are sure to exist when they are added.
    fn added_tasks(
        &self,
        list: &[TaskFile],
        base_ids: &Ids<'_>,
        all_ids: &Ids<'_>,
    ) -> Result<Vec<Task>> {
        let mut known_ids = Ids::over(base_ids);
        list.iter()
            .map(|t| {
                let id = t.id.get_ref();
                for dep in &t.depends_on {
                    let d = dep.get_ref();
                    if d != id && all_ids.contains(d) && !known_ids.contains(d) {
                        return Err(self.src.err(
                            dep.span(),
                            format!(
                                "task `{id}` depends on `{d}`, which may not exist when `{id}` is added; \
                                 list `{d}` before it in the same list, or depend on a workflow task"
                            ),
                        ));
                    }
                }
                let task = self.task(t, &known_ids)?;
                known_ids.push(t.id.get_ref());
                Ok(task)
            })
            .collect()
    }

    fn blocker(
        &self,
        b: &BlockerFile,
        task_ids: &Ids<'_>,
        base_ids: &Ids<'_>,
        all_ids: &Ids<'_>,
    ) -> Result<Blocker> {
        let src = self.src;
        check_id(src, &b.id)?;
        let task = known(src, &b.task, task_ids, "task")?.to_string();
        let options = b.options.get_ref();
        if options.is_empty() {
            return Err(src.err(
                b.options.span(),
                format!(
                    "blocker `{}` has no options; add at least one [[blockers.options]]",
                    b.id.get_ref()
                ),
            ));
        }
        let recommended = match &b.recommended {
            Some(r) => {
                let rule = rules::recommended(b.id.get_ref(), *r.get_ref(), options.len());
                src.obey(r.span(), rule)?;
                *r.get_ref()
            }
            None => 1,
        };
        let at_pct = match &b.at {
            Some(a) => {
                src.obey(a.span(), rules::blocker_at(*a.get_ref()))?;
                *a.get_ref()
            }
            None => 50,
        };
        let options = options
            .iter()
            .map(|o| {
                let e = &o.effect;
                let swap_agent = match &e.swap_agent {
                    Some(a) => Some(known(src, a, &self.agent_ids, "agent")?.to_string()),
                    None => None,
                };
                let adjust = e
                    .adjust
                    .iter()
                    .map(|a| {
                        Ok(Adjustment {
                            task: known(src, &a.task, all_ids, "task")?.to_string(),
                            by_ms: self.duration(&a.by)?,
                        })
                    })
                    .collect::<Result<_>>()?;
                Ok(DecisionOption {
                    label: o.label.clone(),
                    pros: o.pros.clone(),
                    cons: o.cons.clone(),
                    timeline: o.timeline.clone(),
                    resources: o.resources.clone(),
                    effect: Effect {
                        delay_ms: e
                            .delay
                            .as_ref()
                            .map(|d| self.duration(d))
                            .transpose()?
                            .unwrap_or(0),
                        remaining_ms: e.remaining.as_ref().map(|d| self.duration(d)).transpose()?,
                        swap_agent,
                        adjust,
                        add_tasks: self.added_tasks(&e.add_tasks, base_ids, all_ids)?,
                    },
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Blocker {
            id: b.id.get_ref().clone(),
            task,
            at_pct,
            report: BlockerReport {
                kind: b.kind.clone().unwrap_or_else(|| "TECHNICAL_BLOCKER".into()),
                severity: b.severity,
                category: b.category.clone(),
                title: b.title.clone(),
                issue: b.issue.clone(),
                impact: b.impact.clone(),
                options,
                recommended,
            },
        })
    }

    /// A route's lead names an agent, or a role some agent has.
    fn route(&self, r: &RouteFile) -> Result<Route> {
        let lead = r.lead.get_ref();
        if !self
            .agents
            .iter()
            .any(|a| a.id == *lead || a.has_role(lead))
        {
            return Err(self.src.err(
                r.lead.span(),
                format!(
                    "route lead `{lead}` is neither an agent nor a role of one{}",
                    suggestion(lead, &self.agent_ids.all())
                ),
            ));
        }
        Ok(Route {
            category: r.category.clone(),
            lead: lead.clone(),
        })
    }

    fn settings(&self, s: &SettingsFile, agents: usize) -> Result<Settings> {
        let src = self.src;
        let max_parallel = checked_or(src, &s.max_parallel, rules::max_parallel, agents)?;
        let progress_step = checked_or(src, &s.progress_step, rules::progress_step, 10)?;
        let max_retries = checked_or(src, &s.max_retries, rules::max_retries, 1)?;
        let alerts = &s.alerts;
        let defaults = AlertSettings::default();
        let failure_rate = checked_or(
            src,
            &alerts.failure_rate,
            rules::failure_rate,
            defaults.failure_rate,
        )?;
        let overrun = checked_or(src, &alerts.overrun, rules::overrun, defaults.overrun)?;
        Ok(Settings {
            permissions: resolve_rules(&s.permissions, self.src)?,
            prices: super::cost::resolve_prices(&s.prices, self.src)?,
            budget: super::cost::resolve_budget(&s.budget, self.src)?,
            notify: super::notify::resolve_notify(&s.notify, self.src)?,
            alerts: AlertSettings {
                failure_rate,
                overrun,
                repeated_escalations: alerts
                    .repeated_escalations
                    .unwrap_or(defaults.repeated_escalations),
                idle_with_ready_work: alerts
                    .idle_with_ready_work
                    .unwrap_or(defaults.idle_with_ready_work),
            },
            max_parallel,
            seed: s.seed.unwrap_or(1),
            max_retries,
            retry_backoff_ms: s
                .retry_backoff
                .as_ref()
                .map(|d| self.duration(d))
                .transpose()?
                .unwrap_or(0),
            progress_step,
            escalation: Escalation {
                policy_decides: s
                    .escalation
                    .policy_decides
                    .clone()
                    .unwrap_or_else(|| vec![Severity::Low]),
                decide_after_ms: s
                    .escalation
                    .decide_after
                    .as_ref()
                    .map(|d| self.duration(d))
                    .transpose()?
                    .unwrap_or(0),
                routes: s
                    .escalation
                    .routes
                    .iter()
                    .map(|r| self.route(r))
                    .collect::<Result<_>>()?,
                blocker_limit_ms: s
                    .escalation
                    .blocker_limit
                    .as_ref()
                    .map(|d| self.duration(d))
                    .transpose()?,
                run_budget_ms: s
                    .escalation
                    .run_budget
                    .as_ref()
                    .map(|d| self.duration(d))
                    .transpose()?,
            },
        })
    }
}

fn resolve_agents(agents: &[AgentFile], src: &Source, unit: TimeUnit) -> Result<Vec<Agent>> {
    unique(src, "agent", agents.iter().map(|a| &a.id))?;
    let ids: Ids = agents.iter().map(|a| a.id.get_ref().as_str()).collect();
    agents
        .iter()
        .map(|a| {
            check_id(src, &a.id)?;
            let kind = agent_kind(a, src, unit)?;
            for b in &a.backups {
                known(src, b, &ids, "backup agent")?;
                if b.get_ref() == a.id.get_ref() {
                    return Err(src.err(
                        b.span(),
                        format!("agent `{}` lists itself as its backup", a.id.get_ref()),
                    ));
                }
            }
            Ok(Agent {
                id: a.id.get_ref().clone(),
                name: a.name.clone().unwrap_or_else(|| a.id.get_ref().clone()),
                role: a.role.get_ref().clone(),
                skills: a.skills.clone(),
                kind,
                backups: a.backups.iter().map(|b| b.get_ref().clone()).collect(),
            })
        })
        .collect()
}

/// Sequential phases chain their tasks in file order; `after` makes a phase's tasks wait for the
/// last tasks (those nothing else in the phase waits for) of the phases named.
fn expand_phases(phases: &[PhaseFile], tasks: &mut [Task], src: &Source) -> Result<()> {
    let phase_ids: Ids = phases.iter().map(|p| p.id.get_ref().as_str()).collect();
    // Each phase's tasks, in file order.
    let mut members: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, t) in tasks.iter().enumerate() {
        if let Some(p) = &t.phase {
            members.entry(p.clone()).or_default().push(i);
        }
    }
    let none = Vec::new();
    let members = |phase: &str| members.get(phase).unwrap_or(&none);
    for phase in phases.iter().filter(|p| p.mode == PhaseMode::Sequential) {
        for pair in members(phase.id.get_ref()).windows(2) {
            let before = tasks[pair[0]].id.clone();
            add_dependency(&mut tasks[pair[1]], before);
        }
    }
    for phase in phases {
        let own = members(phase.id.get_ref());
        for after in &phase.after {
            known(src, after, &phase_ids, "phase")?;
            if after.get_ref() == phase.id.get_ref() {
                return Err(src.err(
                    after.span(),
                    format!(
                        "phase `{}` comes after itself; remove it from `after`",
                        after.get_ref()
                    ),
                ));
            }
            let theirs = members(after.get_ref());
            // The last tasks of that phase: those none of its tasks depends on.
            let depended: HashSet<&str> = theirs
                .iter()
                .flat_map(|&j| tasks[j].depends_on.iter().map(String::as_str))
                .collect();
            let sinks: Vec<String> = theirs
                .iter()
                .filter(|&&i| !depended.contains(tasks[i].id.as_str()))
                .map(|&i| tasks[i].id.clone())
                .collect();
            for &m in own {
                for s in &sinks {
                    add_dependency(&mut tasks[m], s.clone());
                }
            }
        }
    }
    Ok(())
}

fn add_dependency(task: &mut Task, dep: String) {
    if !task.depends_on.contains(&dep) {
        task.depends_on.push(dep);
    }
}

fn check_cycles(declared: &[&Id], tasks: &[Task], gates: &[Gate], src: &Source) -> Result<()> {
    let Some(cycle) = dependency_cycle(tasks, gates) else {
        return Ok(());
    };
    let span = declared
        .iter()
        .find(|id| Some(id.get_ref()) == cycle.first())
        .map_or(0..0, |id| id.span());
    src.obey(span, rules::no_cycle(Some(cycle.as_slice())))
}

/// The value if it obeys `rule` (else the error where it was written), or `default` when absent.
fn checked_or<T: Copy>(
    src: &Source,
    value: &Option<Spanned<T>>,
    rule: fn(T) -> Rule,
    default: T,
) -> Result<T> {
    match value {
        Some(v) => src
            .obey(v.span(), rule(*v.get_ref()))
            .map(|()| *v.get_ref()),
        None => Ok(default),
    }
}

fn check_id(src: &Source, id: &Spanned<String>) -> Result<()> {
    src.obey(id.span(), rules::id(id.get_ref()))
}

fn unique<'a>(
    src: &Source,
    what: &str,
    ids: impl Iterator<Item = &'a Spanned<String>>,
) -> Result<()> {
    let mut seen: HashSet<&String, foldhash::fast::RandomState> = HashSet::default();
    for id in ids {
        if !seen.insert(id.get_ref()) {
            return Err(src.err(
                id.span(),
                format!("duplicate {what} id `{}`; ids must be unique", id.get_ref()),
            ));
        }
    }
    Ok(())
}

/// The reference if it names one of `ids`, else an error with the closest id.
fn known<'a>(
    src: &Source,
    reference: &'a Spanned<String>,
    ids: &Ids<'_>,
    what: &str,
) -> Result<&'a str> {
    let name = reference.get_ref();
    if ids.contains(name) {
        return Ok(name);
    }
    Err(src.err(
        reference.span(),
        format!("unknown {what} `{name}`{}", suggestion(name, &ids.all())),
    ))
}

/// Ids a reference may name: in order for suggestions, hashed for lookups (a workflow of
/// 100,000 tasks checks its references in linear time). A list of tasks added during a run sees
/// the workflow's ids through `parent`, without a copy of them. The ids are borrowed from the
/// file being read.
#[derive(Debug, Clone, Default)]
struct Ids<'a> {
    parent: Option<&'a Ids<'a>>,
    list: Vec<&'a str>,
    set: HashSet<&'a str, foldhash::fast::RandomState>,
}

impl<'a> Ids<'a> {
    /// No ids of its own yet; `parent`'s are known too.
    fn over(parent: &'a Ids<'a>) -> Ids<'a> {
        Ids {
            parent: Some(parent),
            ..Ids::default()
        }
    }

    fn contains(&self, id: &str) -> bool {
        self.set.contains(id) || self.parent.is_some_and(|p| p.contains(id))
    }

    fn push(&mut self, id: &'a str) {
        self.set.insert(id);
        self.list.push(id);
    }

    /// Every id known, the parent's first (for the suggestions of an error).
    fn all(&self) -> Vec<String> {
        let mut all = self.parent.map(Ids::all).unwrap_or_default();
        all.extend(self.list.iter().map(|id| id.to_string()));
        all
    }
}

impl<'a> FromIterator<&'a str> for Ids<'a> {
    fn from_iter<I: IntoIterator<Item = &'a str>>(iter: I) -> Self {
        let mut ids = Ids::default();
        for id in iter {
            ids.push(id);
        }
        ids
    }
}

fn suggestion(name: &str, candidates: &[String]) -> String {
    match closest(name, candidates) {
        Some(c) => format!("; did you mean `{c}`?"),
        None if candidates.is_empty() => String::new(),
        None => {
            let shown: Vec<&str> = candidates.iter().take(6).map(String::as_str).collect();
            format!("; known: {}", shown.join(", "))
        }
    }
}

fn toml_to_json(table: &toml::Table) -> serde_json::Map<String, serde_json::Value> {
    table
        .iter()
        .map(|(k, v)| (k.clone(), toml_value_to_json(v)))
        .collect()
}

fn toml_value_to_json(v: &toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        toml::Value::String(s) => J::String(s.clone()),
        toml::Value::Integer(i) => J::from(*i),
        toml::Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
        toml::Value::Boolean(b) => J::Bool(*b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.iter().map(toml_value_to_json).collect()),
        toml::Value::Table(t) => J::Object(toml_to_json(t)),
    }
}
