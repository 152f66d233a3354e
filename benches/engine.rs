//! Engine throughput: instant runs of 100,000-task graphs of every shape (a linear chain, a fan
//! out and in, a layered lattice, a random graph) on 64 agents, planning included and nothing
//! recorded; and the reducer folding a run's events into a fresh state.

mod common;

use common::Shape;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use orch_tui::engine::{RunStatus, State};
use orch_tui::headless::{self, Output};
use orch_tui::run::clock::Clock;
use orch_tui::run::session::Session;
use orch_tui::workflow::Workflow;
use std::sync::Arc;
use std::time::Duration;

/// A headless instant run, not recorded: plans, then runs to the end, dropping events as a
/// run without a recording does.
fn run(workflow: &Arc<Workflow>) -> Session {
    let engine = common::engine(workflow);
    let clock = Clock::instant(workflow.unit.ms());
    let doorbell = headless::doorbell();
    let bell = doorbell.clone();
    let mut session = Session::new(engine, None, clock, Arc::new(move || bell.ring()))
        .expect("a simulated run starts no process");
    match headless::run(
        &mut session,
        &doorbell,
        true,
        Output::Json,
        &mut std::io::sink(),
    ) {
        Ok(RunStatus::Succeeded) => session,
        other => panic!("the run did not succeed: {other:?}"),
    }
}

fn instant_run(c: &mut Criterion) {
    let mut group = c.benchmark_group("instant run, 100k tasks, 64 agents");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    for shape in Shape::ALL {
        let workflow = Arc::new(common::workflow(shape, 100_000, 64, ""));
        group.bench_function(shape.name(), |b| {
            // The engine is returned so that freeing it is not timed.
            b.iter_batched(|| (), |()| run(&workflow), BatchSize::PerIteration)
        });
    }
    group.finish();
}

fn reducer(c: &mut Criterion) {
    let workflow = Arc::new(common::workflow(Shape::Random, 10_000, 16, ""));
    let events = common::events_of(&workflow);
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
