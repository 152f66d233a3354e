//! Replay at scale: a recording of about 1,000,000 events (a random 20,000-task run on 64
//! agents reporting progress every 2%) is written once, then: reading and folding it (with the
//! snapshots seeking uses), and seeking to random positions. The peak memory of one load is
//! printed before the timings. Then `replay --verify`'s re-run and comparison, on the recording
//! of a 100,000-task run of every shape (held in memory).

mod common;

use common::Shape;
use criterion::{Criterion, criterion_group, criterion_main};
use orch_tui::engine::{DecideMode, Engine, RunOptions};
use orch_tui::record::player::Player;
use orch_tui::record::verify::{Verdict, verify};
use orch_tui::record::{Header, Recorder, Recording, read_recording};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

fn recording() -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("replay-1m.jsonl");
    if path.exists() {
        return path;
    }
    let w = common::random_workflow(20_000, 64, 2);
    let options = RunOptions {
        seed: None,
        decide: DecideMode::Recommended,
        stamp_wall: true,
    };
    let mut engine = Engine::new(Arc::new(w.clone()), &options).expect("plannable");
    let mut recorder = Recorder::create(
        &path,
        &Header::new(w, engine.seed(), DecideMode::Recommended),
    )
    .expect("writable");
    engine.start();
    loop {
        recorder.write(&engine.drain()).expect("writable");
        if !engine.step() {
            break;
        }
    }
    recorder.write(&engine.drain()).expect("writable");
    path
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

fn replay(c: &mut Criterion) {
    let path = recording();
    let player =
        Player::new(read_recording(&path).expect("readable"), "bench").expect("replayable");
    eprintln!(
        "recording: {} events; peak memory after one load and fold: {:.0} MB",
        player.len(),
        peak_rss_mb()
    );
    drop(player);

    let mut group = c.benchmark_group("replay 1M events");
    group.sample_size(10);
    group.bench_function("read and fold", |b| {
        b.iter(|| {
            black_box(
                Player::new(read_recording(&path).expect("readable"), "bench").expect("replayable"),
            )
        })
    });
    let mut player =
        Player::new(read_recording(&path).expect("readable"), "bench").expect("replayable");
    let len = player.len();
    // Positions scattered over the whole recording, back and forth.
    let mut x: u64 = 1;
    group.bench_function("seek to a random position", |b| {
        b.iter(|| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            player.seek((x >> 33) as usize % len);
            black_box(player.state().now_ms)
        })
    });
    group.finish();
}

fn verification(c: &mut Criterion) {
    let mut group = c.benchmark_group("verify, 100k tasks, 64 agents");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    for shape in Shape::ALL {
        let workflow = common::workflow(shape, 100_000, 64, "");
        let events = common::events_of(&Arc::new(workflow.clone()));
        let recording = Recording {
            header: Header::new(
                workflow.clone(),
                workflow.settings.seed,
                DecideMode::Recommended,
            ),
            events,
            warnings: Vec::new(),
        };
        group.bench_function(shape.name(), |b| {
            b.iter(|| match verify(&recording) {
                Ok(Verdict::Reproduced { events }) => events,
                other => panic!("the run does not reproduce: {other:?}"),
            })
        });
    }
    group.finish();
}

criterion_group!(benches, replay, verification);
criterion_main!(benches);
