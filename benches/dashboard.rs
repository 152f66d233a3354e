//! Dashboard drawing: one full frame at 200x50 for workflows of 20, 500 and 10,000 tasks, half
//! way through their run (the graph layout is computed once per plan change, not per frame, and
//! is measured on its own).

mod common;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use orch_tui::engine::{DecideMode, Engine, RunOptions};
use orch_tui::ui::app::App;
use orch_tui::ui::draw::draw;
use orch_tui::ui::graph::{GraphInput, GraphLayout};
use orch_tui::ui::theme::{Palette, Theme};
use orch_tui::ui::view::{Mode, View};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;
use std::sync::Arc;

/// An engine half way through a random run of `tasks` tasks.
fn half_way(tasks: usize) -> Engine {
    let w = common::random_workflow(tasks, 16, 10);
    let options = RunOptions {
        seed: None,
        decide: DecideMode::Recommended,
        stamp_wall: false,
    };
    let mut e = Engine::new(Arc::new(w), &options).expect("plannable");
    e.start();
    let half = e.plan().schedule.makespan / 2;
    while e.next_time().is_some_and(|t| t <= half) {
        e.step();
    }
    e.drain();
    e
}

fn frames(c: &mut Criterion) {
    let mut group = c.benchmark_group("draw 200x50");
    for tasks in [20, 500, 10_000] {
        let engine = half_way(tasks);
        let state = engine.state();
        let mut app = App::new(
            Theme {
                color: true,
                palette: Palette::Dark,
            },
            false,
        );
        app.refresh_graph(state, true);
        let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("a test terminal");
        group.bench_with_input(BenchmarkId::from_parameter(tasks), &tasks, |b, _| {
            b.iter(|| {
                let view = View {
                    state,
                    mode: Mode::Live,
                    clock_ms: state.now_ms,
                    estimate_ms: state.estimated_makespan_ms,
                    speed: "1m/s".into(),
                    scrubber: None,
                    log_lines: None,
                };
                terminal
                    .draw(|f| draw(f, &mut app, &view))
                    .expect("drawing never fails");
            })
        });
    }
    group.finish();
}

fn layout(c: &mut Criterion) {
    let mut group = c.benchmark_group("graph layout");
    group.sample_size(10);
    for tasks in [20, 500, 10_000] {
        let engine = half_way(tasks);
        let deps: Vec<Vec<usize>> = engine
            .state()
            .nodes
            .iter()
            .map(|n| n.deps.clone())
            .collect();
        let critical = vec![false; deps.len()];
        group.bench_with_input(BenchmarkId::from_parameter(tasks), &tasks, |b, _| {
            b.iter(|| {
                black_box(GraphLayout::new(&GraphInput {
                    deps: &deps,
                    critical: &critical,
                }))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, frames, layout);
criterion_main!(benches);
