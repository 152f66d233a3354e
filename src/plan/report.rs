//! The plan as people and tools read it: parallel waves, the critical path, the estimated
//! makespan against the sequential sum and the time saved, as text, JSON, Graphviz DOT or
//! Mermaid. Every text in the Graphviz and Mermaid outputs (names, ids, labels) is `sanitise`d
//! onto one line before the format's own escaping, so a name holding an escape sequence reaches a
//! terminal shown, never obeyed.

use super::analysis::{critical_path, waves};
use super::{Plan, Problem};
use crate::sanitise::sanitise_line;
use crate::workflow::Workflow;
use serde::Serialize;
use std::fmt::Write;

#[derive(Debug, Serialize)]
pub struct PlanReport {
    pub workflow: String,
    pub unit: crate::time::TimeUnit,
    pub waves: Vec<Vec<String>>,
    pub critical_path: Vec<String>,
    pub critical_path_ms: u64,
    pub makespan_ms: u64,
    pub sequential_ms: u64,
    pub time_saved_pct: f64,
    pub schedule: Vec<Slot>,
}

#[derive(Debug, Serialize)]
pub struct Slot {
    pub task: String,
    pub agent: Option<String>,
    pub start_ms: u64,
    pub end_ms: u64,
}

impl PlanReport {
    pub fn new(workflow: &Workflow, problem: &Problem, plan: &Plan) -> PlanReport {
        let ids = |nodes: &[usize]| nodes.iter().map(|&i| problem.ids[i].clone()).collect();
        let (path, length) = critical_path(problem);
        let sequential_ms: u64 = problem.durations.iter().sum();
        let makespan_ms = plan.schedule.makespan;
        let mut schedule: Vec<Slot> = (0..problem.len())
            .filter(|&i| !problem.eligible[i].is_empty())
            .map(|i| Slot {
                task: problem.ids[i].clone(),
                agent: plan.schedule.agent[i].map(|a| workflow.agents[a].id.clone()),
                start_ms: plan.schedule.start[i],
                end_ms: plan.schedule.start[i] + problem.durations[i],
            })
            .collect();
        schedule.sort_by_key(|s| (s.start_ms, s.task.clone()));
        PlanReport {
            workflow: workflow.name.clone(),
            unit: workflow.unit,
            waves: waves(problem).iter().map(|w| ids(w)).collect(),
            critical_path: ids(&path),
            critical_path_ms: length,
            makespan_ms,
            sequential_ms,
            time_saved_pct: if sequential_ms == 0 {
                0.0
            } else {
                (1000.0 * (sequential_ms as f64 - makespan_ms as f64) / sequential_ms as f64)
                    .round()
                    / 10.0
            },
            schedule,
        }
    }

    pub fn text(&self, workflow: &Workflow) -> String {
        let unit = workflow.unit;
        let task = |id: &str| workflow.tasks.iter().find(|t| t.id == id);
        let mut s = format!(
            "{} — {} ({} agents, unit: {unit})\n\nParallel waves:\n",
            workflow.name,
            workflow.title,
            workflow.agents.len()
        );
        for (i, wave) in self.waves.iter().enumerate() {
            let items: Vec<String> = wave
                .iter()
                .map(|id| match task(id) {
                    Some(t) => format!("{id} ({}, {})", unit.format(t.estimate_ms), t.wants()),
                    None => format!("{id} (gate)"),
                })
                .collect();
            let _ = writeln!(s, "  {:>2}. {}", i + 1, items.join("  |  "));
        }
        let _ = writeln!(
            s,
            "\nCritical path:      {} = {}",
            self.critical_path.join(" -> "),
            unit.format(self.critical_path_ms)
        );
        let _ = writeln!(s, "Estimated makespan: {}", unit.format(self.makespan_ms));
        let _ = writeln!(s, "Sequential sum:     {}", unit.format(self.sequential_ms));
        let _ = writeln!(s, "Time saved:         {}%", self.time_saved_pct);
        s
    }

    pub fn dot(&self, workflow: &Workflow, problem: &Problem) -> String {
        let critical = self.critical_edges();
        let mut s = format!(
            "digraph \"{}\" {{\n  rankdir=LR;\n  node [shape=box, style=rounded];\n",
            escape(&workflow.name)
        );
        for (i, id) in problem.ids.iter().enumerate() {
            let gate = problem.eligible[i].is_empty();
            let label = label(workflow, id, problem.durations[i]);
            let shape = if gate { ", shape=diamond" } else { "" };
            let bold = if self.critical_path.contains(id) {
                ", penwidth=2, color=red"
            } else {
                ""
            };
            let _ = writeln!(
                s,
                "  \"{}\" [label=\"{}\"{shape}{bold}];",
                escape(id),
                escape(&label)
            );
        }
        for (i, preds) in problem.preds.iter().enumerate() {
            for &p in preds {
                let (from, to) = (&problem.ids[p], &problem.ids[i]);
                let bold = if critical.contains(&(from.as_str(), to.as_str())) {
                    " [penwidth=2, color=red]"
                } else {
                    ""
                };
                let _ = writeln!(s, "  \"{}\" -> \"{}\"{bold};", escape(from), escape(to));
            }
        }
        s.push_str("}\n");
        s
    }

    pub fn mermaid(&self, workflow: &Workflow, problem: &Problem) -> String {
        let critical = self.critical_edges();
        let node_id = |i: usize| format!("n{i}");
        let mut s = String::from("flowchart LR\n");
        for (i, id) in problem.ids.iter().enumerate() {
            let text = sanitise_line(&label(workflow, id, problem.durations[i])).replace('"', "'");
            if problem.eligible[i].is_empty() {
                let _ = writeln!(s, "  {}{{\"{text}\"}}", node_id(i));
            } else {
                let _ = writeln!(s, "  {}[\"{text}\"]", node_id(i));
            }
        }
        let mut edge = 0;
        let mut bold = Vec::new();
        for (i, preds) in problem.preds.iter().enumerate() {
            for &p in preds {
                let _ = writeln!(s, "  {} --> {}", node_id(p), node_id(i));
                if critical.contains(&(problem.ids[p].as_str(), problem.ids[i].as_str())) {
                    bold.push(edge.to_string());
                }
                edge += 1;
            }
        }
        for (i, id) in problem.ids.iter().enumerate() {
            if self.critical_path.contains(id) {
                let _ = writeln!(s, "  class {} critical", node_id(i));
            }
        }
        s.push_str("  classDef critical stroke:#d33,stroke-width:3px\n");
        if !bold.is_empty() {
            let _ = writeln!(
                s,
                "  linkStyle {} stroke:#d33,stroke-width:3px",
                bold.join(",")
            );
        }
        s
    }

    fn critical_edges(&self) -> Vec<(&str, &str)> {
        self.critical_path
            .windows(2)
            .map(|w| (w[0].as_str(), w[1].as_str()))
            .collect()
    }
}

fn label(workflow: &Workflow, id: &str, duration: u64) -> String {
    match workflow.tasks.iter().find(|t| t.id == id) {
        Some(t) if t.name != id => format!("{id}: {} ({})", t.name, workflow.unit.format(duration)),
        _ => format!("{id} ({})", workflow.unit.format(duration)),
    }
}

/// `s` as the inside of a DOT quoted string: sanitised onto one line, then backslashes and
/// quotes escaped.
fn escape(s: &str) -> String {
    sanitise_line(s).replace('\\', "\\\\").replace('"', "\\\"")
}
