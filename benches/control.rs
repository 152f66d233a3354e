//! The run service (`docs/control.md`): what a viewer of a run going on in another process
//! waits for and what viewers cost the run.
//!
//! - catch-up: a hub holding the 1,040,001 events of a random 20,000-task run on 64 agents
//!   reporting progress every 2% (the replay bench's run, short of its `run_finished`); a
//!   client connects over the socket, says hello as a viewer and reads the catch-up into the
//!   run's `State` (`follow::catch_up`; also timed in the thread's CPU time), and, apart, only
//!   reads its bytes to `live`;
//! - latency: events published one at a time, 1 ms apart, to 1 and to 10 viewers reading
//!   through `follow::Inbox` as the dashboard does: from `Hub::publish` to the viewer's wake
//!   (the line read, parsed and in its inbox); median, p95, p99 and max;
//! - CPU: the release binary's background run (`orch-tui run FILE --detach`) of the same
//!   workflow at a steady pace, with 0 and with 10 viewers (threads reading watching
//!   connections to the end of each line): the run process's utime + stime over 10 s of wall
//!   time from `/proc`, and how long each event took from its `wall_ms` stamp to a viewer.
//!
//! `cargo bench --bench control [catch-up|latency|cpu]` runs all three, or the one named.

mod common;

use common::Shape;
use criterion::Criterion;
use orch_tui::engine::{DecideMode, Event, EventBody};
use orch_tui::record::Header;
use orch_tui::run::control::follow::{Inbox, catch_up};
use orch_tui::run::control::{Connection, Hub, new_run_id};
use orch_tui::run::wire::RunInfo;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_orch-tui");

/// The workload of the catch-up: the replay bench's million events.
fn million() -> String {
    common::toml(Shape::Random, 20_000, 64, "progress_step = 2")
}

fn info(id: &str) -> RunInfo {
    RunInfo {
        id: id.into(),
        workflow: "random".into(),
        file: None,
        recording: None,
        pid: std::process::id(),
        started_at: "2026-12-07T00:00:00Z".into(),
    }
}

/// A hub, as a run opens it, that has published `events`.
fn hub_of(text: &str, events: &[Event]) -> Hub {
    let workflow = orch_tui::workflow::parse(text, "bench.toml").expect("a valid workflow");
    let header = Header::new(workflow, 0, DecideMode::Recommended);
    let hub = Hub::open(info(&new_run_id("bench")), &header, Arc::new(|| {})).expect("a hub");
    for step in events.chunks(64) {
        hub.publish(step);
    }
    hub
}

/// The events of a whole instant run of `text`.
fn events_of(text: &str) -> Vec<Event> {
    let workflow = orch_tui::workflow::parse(text, "bench.toml").expect("a valid workflow");
    common::events_of(&Arc::new(workflow))
}

/// A watching connection after its hello: the server's lines.
fn watch(socket: &Path) -> std::io::BufReader<std::os::unix::net::UnixStream> {
    let mut conn = Connection::connect(socket).expect("the socket answers");
    conn.hello(true, "bench").expect("a hello");
    conn.into_parts().0
}

fn catch_up_bench(c: &mut Criterion) {
    let mut events = events_of(&million());
    events.pop_if(|e| matches!(e.body, EventBody::RunFinished { .. }));
    let count = events.len() as u64;
    let hub = hub_of(&million(), &events);
    drop(events);
    let socket = hub.socket().to_path_buf();
    let mut group = c.benchmark_group(format!("attach to a run of {count} events"));
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("connect, hello, read the catch-up's bytes to live", |b| {
        b.iter(|| {
            let mut input = watch(&socket);
            let mut line = Vec::new();
            let mut lines = 0u64;
            loop {
                line.clear();
                assert!(input.read_until(b'\n', &mut line).expect("a line") > 0);
                if line.starts_with(b"{\"type\":\"live\"") {
                    break;
                }
                lines += 1;
            }
            assert_eq!(lines, count + 1, "the header and every event");
        })
    });
    group.bench_function("connect, hello, catch_up to the run's State", |b| {
        b.iter(|| {
            let mut input = watch(&socket);
            let caught = catch_up(&mut input).expect("caught up");
            assert_eq!(caught.state.last_seq, count);
            caught
        })
    });
    group.finish();
    // The same catch-up timed in this thread's CPU time too, which other programs on a busy
    // machine change less than the wall clock.
    let (mut wall, mut cpu) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        let (start, on_cpu) = (Instant::now(), thread_cpu());
        let mut input = watch(&socket);
        let caught = catch_up(&mut input).expect("caught up");
        cpu.push((thread_cpu() - on_cpu).as_secs_f64());
        wall.push(start.elapsed().as_secs_f64());
        drop(caught);
    }
    wall.sort_by(f64::total_cmp);
    cpu.sort_by(f64::total_cmp);
    println!(
        "catch_up of {count} events: median {:.3} s wall ({:.3}-{:.3}), {:.3} s of the viewer \
         thread's CPU ({:.3}-{:.3}), 5 runs",
        wall[2], wall[0], wall[4], cpu[2], cpu[0], cpu[4]
    );
    hub.close(orch_tui::engine::RunStatus::Stopped);
}

/// The CPU time of this thread so far.
fn thread_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").expect("schedstat");
    let ns = stat
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("ns");
    Duration::from_nanos(ns)
}

/// The median, 95th and 99th percentiles and maximum of `samples` (ms), and how many took a
/// frame (16 ms) or more.
fn spread(samples: &mut [f64]) -> String {
    samples.sort_by(f64::total_cmp);
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    let late = samples.iter().filter(|&&s| s >= 16.0).count();
    format!(
        "median {:.3} ms, p95 {:.3} ms, p99 {:.3} ms, max {:.3} ms over {} events ({late} of \
         16 ms or more)",
        at(0.5),
        at(0.95),
        at(0.99),
        at(1.0),
        samples.len()
    )
}

fn latency(viewers: usize) {
    const EVENTS: usize = 3000;
    let text = common::toml(Shape::Random, 2_000, 16, "");
    let events = events_of(&text);
    assert!(events.len() > EVENTS);
    let hub = hub_of(&text, &[]);
    // Each viewer keeps the instant each line reached its inbox.
    let arrivals: Vec<Arc<Mutex<Vec<Instant>>>> = (0..viewers)
        .map(|_| {
            let mut input = watch(hub.socket());
            catch_up(&mut input).expect("caught up");
            let times = Arc::new(Mutex::new(Vec::with_capacity(EVENTS)));
            let noting = times.clone();
            let inbox = Inbox::follow(
                input,
                Arc::new(move || noting.lock().unwrap().push(Instant::now())),
            )
            .expect("a reader");
            // The dashboard takes its lines on its own thread; here they are only dropped.
            std::thread::spawn(move || {
                loop {
                    std::thread::sleep(Duration::from_millis(16));
                    let mut inbox = inbox.lock().unwrap();
                    inbox.lines.clear();
                    if inbox.closed.is_some() {
                        return;
                    }
                }
            });
            times
        })
        .collect();
    let mut published = Vec::with_capacity(EVENTS);
    let start = Instant::now();
    for (i, event) in events[..EVENTS].iter().enumerate() {
        // One event a millisecond, so that each one finds its viewers waiting.
        let due = start + Duration::from_millis(i as u64);
        std::thread::sleep(due.saturating_duration_since(Instant::now()));
        published.push(Instant::now());
        hub.publish(std::slice::from_ref(event));
    }
    let until = Instant::now() + Duration::from_secs(10);
    while arrivals.iter().any(|a| a.lock().unwrap().len() < EVENTS) && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(10));
    }
    let mut samples = Vec::new();
    for arrived in &arrivals {
        let arrived = arrived.lock().unwrap();
        assert_eq!(arrived.len(), EVENTS, "a viewer missed events");
        samples.extend(
            arrived
                .iter()
                .zip(&published)
                .map(|(a, p)| a.duration_since(*p).as_secs_f64() * 1e3),
        );
    }
    println!(
        "latency, publish to a viewer's inbox, {viewers} viewer(s): {}",
        spread(&mut samples)
    );
    hub.close(orch_tui::engine::RunStatus::Stopped);
}

/// The run folder the background runs of this bench use.
fn runtime_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("orch-tui-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a folder");
    dir
}

/// utime + stime of process `pid`, in clock ticks.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("the run's stat");
    // Fields after the command's closing parenthesis: state is field 3, utime 14, stime 15.
    let fields: Vec<&str> = stat[stat.rfind(')').expect("a stat line") + 2..]
        .split(' ')
        .collect();
    fields[11].parse::<u64>().expect("utime") + fields[12].parse::<u64>().expect("stime")
}

fn clock_ticks() -> u64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(100)
}

fn wall_ms_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// The `wall_ms` stamp of an event line.
fn stamp(line: &[u8]) -> Option<u64> {
    let key = b"\"wall_ms\":";
    let at = line.windows(key.len()).position(|w| w == key)? + key.len();
    let digits = line[at..].iter().take_while(|b| b.is_ascii_digit()).count();
    std::str::from_utf8(&line[at..at + digits])
        .ok()?
        .parse()
        .ok()
}

struct Round {
    cpu_s: f64,
    events: usize,
    /// Stamp to viewer, ms, for every event every viewer read in the window.
    delays: Vec<f64>,
}

/// One background run at `speed` with `viewers` viewers: its CPU time over `window`.
fn paced_round(workflow: &Path, dir: &Path, speed: u32, viewers: usize, window: Duration) -> Round {
    let started = Command::new(BIN)
        .args(["run"])
        .arg(workflow)
        .args([
            "--detach",
            "--decide",
            "recommended",
            "--no-record",
            "--speed",
        ])
        .arg(speed.to_string())
        .env("XDG_RUNTIME_DIR", dir)
        .output()
        .expect("orch-tui run --detach");
    assert!(started.status.success(), "{started:?}");
    let id = String::from_utf8_lossy(&started.stdout).trim().to_string();
    let socket = dir.join("orch-tui").join(format!("{id}.sock"));
    let mut command = Connection::connect(&socket).expect("the run's socket");
    let pid = command.hello(false, "bench").expect("a hello").pid;
    // Planning and the run's first steps are left out.
    std::thread::sleep(Duration::from_secs(2));
    let measuring = Arc::new(AtomicBool::new(false));
    let live = Arc::new(AtomicUsize::new(0));
    let readers: Vec<_> = (0..viewers)
        .map(|_| {
            let (measuring, live) = (measuring.clone(), live.clone());
            let mut input = watch(&socket);
            std::thread::spawn(move || {
                let (mut events, mut delays) = (0, Vec::new());
                let mut line = Vec::new();
                loop {
                    line.clear();
                    match input.read_until(b'\n', &mut line) {
                        Ok(0) | Err(_) => return (events, delays),
                        Ok(_) => {}
                    }
                    if line.starts_with(b"{\"type\":\"live\"") {
                        live.fetch_add(1, Ordering::SeqCst);
                    } else if measuring.load(Ordering::Relaxed)
                        && line.starts_with(b"{\"event\":")
                        && let Some(stamped) = stamp(&line)
                    {
                        events += 1;
                        delays.push(wall_ms_now().saturating_sub(stamped) as f64);
                    }
                }
            })
        })
        .collect();
    while live.load(Ordering::SeqCst) < viewers {
        std::thread::sleep(Duration::from_millis(5));
    }
    let before = cpu_ticks(pid);
    measuring.store(true, Ordering::SeqCst);
    std::thread::sleep(window);
    measuring.store(false, Ordering::SeqCst);
    let after = cpu_ticks(pid);
    let stopped = Command::new(BIN)
        .args(["stop", &id])
        .env("XDG_RUNTIME_DIR", dir)
        .output()
        .expect("orch-tui stop");
    assert!(stopped.status.success(), "{stopped:?}");
    let mut round = Round {
        cpu_s: (after - before) as f64 / clock_ticks() as f64,
        events: 0,
        delays: Vec::new(),
    };
    for reader in readers {
        let (events, delays) = reader.join().expect("a viewer");
        round.events = round.events.max(events);
        round.delays.extend(delays);
    }
    drop(command);
    // The run's process is not this one's child: wait for it to go before the next round.
    while Path::new(&format!("/proc/{pid}")).exists() {
        std::thread::sleep(Duration::from_millis(20));
    }
    round
}

fn cpu(speed: u32) {
    const ROUNDS: usize = 3;
    const WINDOW: Duration = Duration::from_secs(10);
    let dir = runtime_dir();
    let workflow = dir.join("paced.toml");
    std::fs::write(&workflow, million()).expect("the workflow");
    let mut ratios = Vec::new();
    let mut delays = Vec::new();
    for round in 1..=ROUNDS {
        let none = paced_round(&workflow, &dir, speed, 0, WINDOW);
        let ten = paced_round(&workflow, &dir, speed, 10, WINDOW);
        let ratio = ten.cpu_s / none.cpu_s;
        ratios.push(ratio);
        println!(
            "CPU of the run at --speed {speed}, round {round}: 0 viewers {:.2} s, 10 viewers {:.2} s \
             in {} s ({} events each viewer read): x{ratio:.3}",
            none.cpu_s,
            ten.cpu_s,
            WINDOW.as_secs(),
            ten.events,
        );
        delays.extend(ten.delays);
    }
    println!(
        "event stamp (wall_ms) to a viewer's read, 10 viewers, --speed {speed}: {}",
        spread(&mut delays)
    );
}

fn main() {
    let named: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let wants = |section: &str| named.is_empty() || named.iter().any(|n| n == section);
    // Hubs open their sockets in a run folder of the bench's own.
    let dir = runtime_dir();
    // SAFETY: before any thread of this process reads the environment.
    unsafe { std::env::set_var("XDG_RUNTIME_DIR", &dir) };
    if wants("catch-up") {
        let mut c = Criterion::default();
        catch_up_bench(&mut c);
        c.final_summary();
    }
    if wants("latency") {
        latency(1);
        latency(10);
    }
    if wants("cpu") {
        for speed in [8, 64] {
            cpu(speed);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
