//! Properties of every run, on random task graphs: the recorded events never start a task
//! before its dependencies are done, never run more tasks than agents or `max_parallel`, never
//! give an agent two tasks at once, finish every task, take at least the critical path and the
//! total work spread over all agents, and, as durations hold, finish exactly when planned.

use orch_tui::engine::{DecideMode, Engine, EventBody, RunOptions, RunStatus};
use orch_tui::workflow;
use proptest::prelude::*;
use std::collections::{HashMap, HashSet};
use std::fmt::Write;
use std::sync::Arc;

/// A random graph: durations (minutes), edges from lower to higher index, agents, and a
/// parallel cap.
#[derive(Debug, Clone)]
struct Graph {
    durations: Vec<u64>,
    preds: Vec<Vec<usize>>,
    agents: usize,
    max_parallel: usize,
    progress_step: u8,
}

fn graphs() -> impl Strategy<Value = Graph> {
    (1usize..=24, 1usize..=8).prop_flat_map(|(n, agents)| {
        (
            prop::collection::vec(0u64..=20, n),
            prop::collection::vec(prop::bool::weighted(0.15), n * n),
            1..=agents,
            any::<bool>(),
            prop::sample::select(vec![10u8, 25, 100]),
        )
            .prop_map(
                move |(durations, edges, cap, capped, progress_step)| Graph {
                    preds: (0..n)
                        .map(|j| (0..j).filter(|&i| edges[i * n + j]).collect())
                        .collect(),
                    durations,
                    agents,
                    max_parallel: if capped { cap } else { agents },
                    progress_step,
                },
            )
    })
}

fn workflow_text(g: &Graph) -> String {
    let mut s = format!(
        "[workflow]\nname = \"props\"\nunit = \"minutes\"\n\n[settings]\nmax_parallel = {}\nprogress_step = {}\n\n",
        g.max_parallel, g.progress_step
    );
    for a in 0..g.agents {
        let _ = writeln!(s, "[[agents]]\nid = \"a{a}\"\nrole = \"worker\"\n");
    }
    for (i, (d, preds)) in g.durations.iter().zip(&g.preds).enumerate() {
        let deps: Vec<String> = preds.iter().map(|p| format!("\"t{p}\"")).collect();
        let _ = writeln!(
            s,
            "[[tasks]]\nid = \"t{i}\"\nrole = \"worker\"\nestimate = {d}\ndepends_on = [{}]\n",
            deps.join(", ")
        );
    }
    s
}

fn critical_path_ms(g: &Graph) -> u64 {
    let mut finish = vec![0u64; g.durations.len()];
    for i in 0..g.durations.len() {
        let ready = g.preds[i].iter().map(|&p| finish[p]).max().unwrap_or(0);
        finish[i] = ready + g.durations[i] * 60_000;
    }
    finish.into_iter().max().unwrap_or(0)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn runs_keep_every_constraint(g in graphs()) {
        let w = workflow::parse(&workflow_text(&g), "props.toml").map_err(|e| TestCaseError::fail(e.to_string()))?;
        let options = RunOptions { seed: None, decide: DecideMode::Recommended, stamp_wall: false };
        let mut engine = Engine::new(Arc::new(w), &options).map_err(TestCaseError::fail)?;
        engine.start();
        engine.run_to_end();
        let events = engine.drain();

        let index = |task: &str| task[1..].parse::<usize>().unwrap_or(usize::MAX);
        let mut done: HashSet<usize> = HashSet::new();
        let mut running: HashMap<String, usize> = HashMap::new();
        let mut makespan = None;
        for e in &events {
            match &e.body {
                EventBody::TaskStarted { task, agent, .. } => {
                    let t = index(task);
                    for p in &g.preds[t] {
                        prop_assert!(done.contains(p), "{task} started before t{p} was done");
                    }
                    prop_assert!(!running.contains_key(agent), "{agent} runs two tasks");
                    running.insert(agent.clone(), t);
                    prop_assert!(running.len() <= g.max_parallel, "over max_parallel");
                    prop_assert!(running.len() <= g.agents, "over the agents");
                }
                EventBody::TaskCompleted { task, agent, .. } => {
                    prop_assert_eq!(running.remove(agent), Some(index(task)));
                    prop_assert!(done.insert(index(task)), "{} completed twice", task);
                }
                EventBody::RunFinished { summary } => {
                    prop_assert_eq!(summary.status, RunStatus::Succeeded);
                    makespan = Some(summary.makespan_ms);
                }
                _ => {}
            }
        }
        prop_assert_eq!(done.len(), g.durations.len(), "every task ends");
        let makespan = makespan.ok_or_else(|| TestCaseError::fail("the run never finished"))?;
        prop_assert!(makespan >= critical_path_ms(&g));
        let work: u64 = g.durations.iter().map(|d| d * 60_000).sum();
        prop_assert!(makespan * g.agents as u64 >= work);
        prop_assert!(makespan * g.max_parallel as u64 >= work);
        // Durations hold, so the run follows its plan to the end.
        prop_assert_eq!(makespan, engine.plan().schedule.makespan);
    }
}
