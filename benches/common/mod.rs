//! Workloads shared by the benchmarks and `examples/workflow_gen.rs`: task graphs of a given
//! shape and size as workflow files (TOML text, so the command line can run the very same
//! graphs), and parsed into resolved workflows. Every shape is deterministic for its seed.

#![allow(dead_code)] // each bench uses part of it

use orch_tui::engine::{DecideMode, Engine, Event, RunOptions};
use orch_tui::workflow::{self, Workflow};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::fmt::Write;
use std::sync::Arc;

/// The shape of a generated task graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Each task depends on the one before it.
    Chain,
    /// One task, then every other task depending on it, then one task depending on them all.
    Fan,
    /// Layers 100 tasks wide; each task depends on the tasks of the layer before in its own
    /// column and the two next to it.
    Lattice,
    /// Each task depends on up to three of the thousand tasks before it.
    Random,
}

impl Shape {
    pub const ALL: [Shape; 4] = [Shape::Chain, Shape::Fan, Shape::Lattice, Shape::Random];

    pub fn name(self) -> &'static str {
        match self {
            Shape::Chain => "chain",
            Shape::Fan => "fan",
            Shape::Lattice => "lattice",
            Shape::Random => "random",
        }
    }

    pub fn parse(name: &str) -> Option<Shape> {
        Shape::ALL.into_iter().find(|s| s.name() == name)
    }
}

const LATTICE_WIDTH: usize = 100;

/// The dependencies of every task (indices of earlier tasks) and its estimate in minutes.
fn graph(shape: Shape, tasks: usize, seed: u64) -> Vec<(Vec<usize>, u64)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..tasks)
        .map(|i| {
            let deps: Vec<usize> = match shape {
                Shape::Chain => (i > 0).then(|| i - 1).into_iter().collect(),
                Shape::Fan if i == 0 => Vec::new(),
                Shape::Fan if i + 1 == tasks => (1..i).collect(),
                Shape::Fan => vec![0],
                Shape::Lattice if i < LATTICE_WIDTH => Vec::new(),
                Shape::Lattice => {
                    let column = i % LATTICE_WIDTH;
                    let above = i - LATTICE_WIDTH;
                    (column.saturating_sub(1)..=(column + 1).min(LATTICE_WIDTH - 1))
                        .map(|c| above - column + c)
                        .collect()
                }
                Shape::Random => (0..rng.random_range(0..=3usize.min(i)))
                    .map(|_| rng.random_range(i.saturating_sub(1000)..i))
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect(),
            };
            (deps, rng.random_range(1..=60))
        })
        .collect()
}

/// A workflow file: `tasks` tasks of `shape` on `agents` agents of one role, estimates from 1
/// to 60 minutes, with `settings` (TOML lines) in its `[settings]` table.
pub fn toml(shape: Shape, tasks: usize, agents: usize, settings: &str) -> String {
    let mut s = format!(
        "[workflow]\nname = \"{}\"\nunit = \"minutes\"\n\n[settings]\n{settings}\n",
        shape.name()
    );
    for a in 0..agents {
        let _ = writeln!(s, "[[agents]]\nid = \"a{a}\"\nrole = \"worker\"\n");
    }
    for (i, (deps, estimate)) in graph(shape, tasks, 7).into_iter().enumerate() {
        let deps: Vec<String> = deps.iter().map(|d| format!("\"t{d}\"")).collect();
        let _ = writeln!(
            s,
            "[[tasks]]\nid = \"t{i}\"\nrole = \"worker\"\nestimate = {estimate}\ndepends_on = [{}]\n",
            deps.join(", ")
        );
    }
    s
}

/// The same workflow, parsed and resolved.
pub fn workflow(shape: Shape, tasks: usize, agents: usize, settings: &str) -> Workflow {
    match workflow::parse(&toml(shape, tasks, agents, settings), "bench.toml") {
        Ok(w) => w,
        Err(e) => panic!("the generated workflow is invalid: {e}"),
    }
}

/// A random graph, the workload of the replay and dashboard benches.
pub fn random_workflow(tasks: usize, agents: usize, progress_step: u8) -> Workflow {
    workflow(
        Shape::Random,
        tasks,
        agents,
        &format!("progress_step = {progress_step}"),
    )
}

/// How the benches run: the recommended option for every blocker, no wall-clock stamps.
pub const OPTIONS: RunOptions = RunOptions {
    seed: None,
    decide: DecideMode::Recommended,
    stamp_wall: false,
};

/// A new engine for `workflow`, planned.
pub fn engine(workflow: &Arc<Workflow>) -> Engine {
    match Engine::new(workflow.clone(), &OPTIONS) {
        Ok(e) => e,
        Err(e) => panic!("no plan: {e}"),
    }
}

/// The events of a whole instant run, kept.
pub fn events_of(workflow: &Arc<Workflow>) -> Vec<Event> {
    let mut engine = engine(workflow);
    engine.start();
    engine.run_to_end();
    engine.drain()
}
