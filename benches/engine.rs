//! Engine throughput: an instant run of a random 100,000-task graph on 64 agents (planning
//! included, nothing recorded), and the reducer folding a run's events into a fresh state.

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use orch_tui::engine::{DecideMode, Engine, Event, RunOptions, RunStatus, State};
use orch_tui::headless::{self, Output, Pace};
use orch_tui::workflow::{self, Workflow};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::fmt::Write;
use std::sync::Arc;

/// A random graph: each task depends on up to three of the thousand tasks before it.
fn random_workflow(tasks: usize, agents: usize) -> Workflow {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut s = String::from("[workflow]\nname = \"bench\"\nunit = \"minutes\"\n\n");
    for a in 0..agents {
        let _ = writeln!(s, "[[agents]]\nid = \"a{a}\"\nrole = \"worker\"\n");
    }
    for i in 0..tasks {
        let deps: Vec<String> = (0..rng.random_range(0..=3usize.min(i)))
            .map(|_| rng.random_range(i.saturating_sub(1000)..i))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .map(|d| format!("\"t{d}\""))
            .collect();
        let estimate = rng.random_range(1..=60);
        let _ = writeln!(
            s,
            "[[tasks]]\nid = \"t{i}\"\nrole = \"worker\"\nestimate = {estimate}\ndepends_on = [{}]\n",
            deps.join(", ")
        );
    }
    match workflow::parse(&s, "bench.toml") {
        Ok(w) => w,
        Err(e) => panic!("the generated workflow is invalid: {e}"),
    }
}

const OPTIONS: RunOptions = RunOptions {
    seed: None,
    decide: DecideMode::Recommended,
    stamp_wall: false,
};

/// A headless instant run, not recorded: plans, then runs to the end, dropping events as a
/// run without a recording does.
fn run(workflow: &Arc<Workflow>) -> Engine {
    let mut engine = match Engine::new(workflow.clone(), &OPTIONS) {
        Ok(e) => e,
        Err(e) => panic!("no plan: {e}"),
    };
    let pace = Pace {
        instant: true,
        speed: 1.0,
    };
    match headless::run(&mut engine, &pace, None, Output::Json, &mut std::io::sink()) {
        Ok(RunStatus::Succeeded) => engine,
        other => panic!("the run did not succeed: {other:?}"),
    }
}

/// The events of a whole run, kept.
fn events_of(workflow: &Arc<Workflow>) -> Vec<Event> {
    let mut engine = match Engine::new(workflow.clone(), &OPTIONS) {
        Ok(e) => e,
        Err(e) => panic!("no plan: {e}"),
    };
    engine.start();
    engine.run_to_end();
    engine.drain()
}

fn instant_run(c: &mut Criterion) {
    let workflow = Arc::new(random_workflow(100_000, 64));
    let mut group = c.benchmark_group("instant run");
    group.sample_size(10);
    group.bench_function("100k tasks, 64 agents", |b| {
        // The engine is returned so that freeing it is not timed.
        b.iter_batched(|| (), |()| run(&workflow), BatchSize::PerIteration)
    });
    group.finish();
}

fn reducer(c: &mut Criterion) {
    let workflow = Arc::new(random_workflow(10_000, 16));
    let events = events_of(&workflow);
    let mut group = c.benchmark_group("reducer");
    group.throughput(Throughput::Elements(events.len() as u64));
    group.bench_function(format!("{} events of 10k tasks", events.len()), |b| {
        b.iter_batched(
            || State::new(workflow.clone()),
            |mut state| {
                for e in &events {
                    if let Err(err) = state.apply(e) {
                        panic!("the reducer refused its own run: {err}");
                    }
                }
                state
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, instant_run, reducer);
criterion_main!(benches);
