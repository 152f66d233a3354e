//! The control socket in-process: a real engine run (virtual time, a blocker for a person)
//! drives a `Hub` the way a run does, publishing what it records and answering requests with
//! `Engine::decide`; clients connect over real Unix sockets. Checked: the catch-up folds to the
//! engine's state, two clients racing for one blocker (the first wins, the second is told who),
//! a slow viewer resynced while `publish` goes on, a viewer killed mid-stream, a hostile client,
//! and a client of another uid refused. The test binary runs itself as the other process
//! (`ORCH_TEST_CLIENT`). All tests share one run folder (the environment is per process), each
//! run with an id of its own.

use orch_tui::engine::{Actor, DecideMode, Engine, Event, RunOptions, RunStatus, State};
use orch_tui::record::Header;
use orch_tui::run::control::{Connection, Hub, RequestBody, RunView, new_run_id, run_folder};
use orch_tui::run::wire::{ClientMessage, RunInfo, ServerLine, ServerMessage};
use orch_tui::workflow;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Once};
use std::time::Duration;

const WORKFLOW: &str = r#"[workflow]
name = "control"

[[agents]]
id = "dev"
role = "engineer"

[[agents]]
id = "ops"
role = "engineer"

[[tasks]]
id = "A"
role = "engineer"
estimate = 4

[[tasks]]
id = "B"
role = "engineer"
estimate = 2

[[tasks]]
id = "C"
role = "engineer"
estimate = 1
depends_on = ["A", "B"]

[[blockers]]
id = "schema"
task = "A"
severity = "high"
title = "Which schema?"
options = [{ label = "Keep it" }, { label = "Migrate" }]
"#;

fn setup() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let dir = tempfile::tempdir().expect("tempdir").keep();
        // SAFETY: the first thing every test does, before any thread reads the environment.
        unsafe { std::env::set_var("XDG_RUNTIME_DIR", &dir) };
    });
}

fn engine_of(text: &str) -> (Engine, Header) {
    let w = workflow::parse(text, "test.toml").expect("workflow");
    let header = Header::new(w.clone(), 7, DecideMode::Person);
    let engine = Engine::new(
        Arc::new(w),
        &RunOptions {
            seed: Some(7),
            decide: DecideMode::Person,
            stamp_wall: false,
        },
    )
    .expect("engine");
    (engine, header)
}

fn info(id: &str, workflow: &str) -> RunInfo {
    RunInfo {
        id: id.into(),
        workflow: workflow.into(),
        file: None,
        recording: None,
        pid: std::process::id(),
        started_at: humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
    }
}

/// A run on its own thread: steps the engine until it waits, sends the state it waits in,
/// answers requests as a run does, and closes the hub when the engine finished.
struct Run {
    socket: PathBuf,
    waiting: Receiver<State>,
    done: std::thread::JoinHandle<(State, usize)>,
}

fn start_run() -> Run {
    start_run_of(WORKFLOW)
}

fn start_run_of(workflow: &str) -> Run {
    setup();
    let (mut engine, header) = engine_of(workflow);
    let id = new_run_id("control");
    let (wake_tx, wake_rx) = channel::<()>();
    let wake_tx = std::sync::Mutex::new(wake_tx);
    let hub = Hub::open(
        info(&id, "control"),
        &header,
        Arc::new(move || {
            let _ = wake_tx.lock().map(|t| t.send(()));
        }),
    )
    .expect("hub");
    let socket = hub.socket().to_path_buf();
    let (waiting_tx, waiting) = channel();
    let done = std::thread::spawn(move || {
        let mut deciders: HashMap<String, String> = HashMap::new();
        engine.start();
        hub.publish(&engine.drain());
        while !engine.is_finished() {
            while engine.step() {
                hub.publish(&engine.drain());
            }
            if engine.is_finished() {
                break;
            }
            let _ = waiting_tx.send(engine.state().clone());
            let _ = wake_rx.recv();
            answer_requests(&hub, &mut engine, &mut deciders);
        }
        // Requests that came in as the run finished are answered too.
        answer_requests(&hub, &mut engine, &mut deciders);
        let viewers = hub.viewers();
        let status = engine
            .state()
            .finished
            .as_ref()
            .map_or(RunStatus::Stopped, |s| s.status);
        let state = engine.state().clone();
        hub.close(status);
        (state, viewers)
    });
    Run {
        socket,
        waiting,
        done,
    }
}

/// Answers the requests that wait, as a run does: a decision names who made the one before.
fn answer_requests(hub: &Hub, engine: &mut Engine, deciders: &mut HashMap<String, String>) {
    for request in hub.take_requests() {
        let result = match &request.body {
            RequestBody::Decide { blocker, option } => {
                match engine.decide(blocker, *option, Actor::User) {
                    Ok(()) => {
                        deciders.insert(blocker.clone(), request.peer.label());
                        Ok(serde_json::Value::Null)
                    }
                    Err(e) => Err(match deciders.get(blocker) {
                        Some(who) => format!("{e} by {who}"),
                        None => e,
                    }),
                }
            }
            RequestBody::Stop => {
                engine.stop();
                Ok(serde_json::Value::Null)
            }
            other => Err(format!("this run does not take {other:?}")),
        };
        hub.publish(&engine.drain());
        request.answer(result);
    }
}

/// Reads a viewer's lines up to `live` (or the end), folding the events.
fn catch_up<R: Read, W: Write>(conn: &mut Connection<R, W>) -> (State, bool) {
    let mut state = None;
    let mut resynced = false;
    loop {
        match conn.next_line().expect("line").expect("not closed") {
            ServerLine::Message(ServerMessage::Resync) => resynced = true,
            ServerLine::Message(ServerMessage::Header { header }) => {
                state = Some(State::new(Arc::new(header.workflow)));
            }
            ServerLine::Event(e) => state
                .as_mut()
                .expect("header first")
                .apply(&e)
                .expect("apply"),
            ServerLine::Message(ServerMessage::Live) => {
                return (state.expect("header"), resynced);
            }
            _ => {}
        }
    }
}

/// Folds the rest of a viewer's lines until the server says bye (starting again from the
/// header when the viewer is resynced); returns the reason.
fn follow<R: Read, W: Write>(conn: &mut Connection<R, W>, state: &mut State) -> String {
    loop {
        match conn.next_line().expect("line") {
            Some(ServerLine::Event(e)) => state.apply(&e).expect("apply"),
            Some(ServerLine::Message(ServerMessage::Header { header })) => {
                *state = State::new(Arc::new(header.workflow));
            }
            Some(ServerLine::Message(ServerMessage::Bye { reason })) => return reason,
            Some(_) => {}
            None => panic!("closed without a bye"),
        }
    }
}

fn decide(socket: &Path, at: &str, option: usize) -> Result<serde_json::Value, String> {
    let mut conn = Connection::connect(socket).expect("connect");
    conn.hello(false, at)?;
    decide_on(&mut conn, option)
}

fn decide_on<R: Read, W: Write>(
    conn: &mut Connection<R, W>,
    option: usize,
) -> Result<serde_json::Value, String> {
    let id = conn.next_id();
    conn.request(&ClientMessage::Decide {
        id,
        blocker: "schema".into(),
        option,
    })
}

#[test]
fn a_viewer_catches_up_to_the_runs_state_then_follows_it_live() {
    let run = start_run();
    let waiting = run.waiting.recv().expect("the run waits for the blocker");
    let mut viewer = Connection::connect(&run.socket).expect("connect");
    let hello = viewer.hello(true, "pts/1").expect("hello");
    assert_eq!(hello.workflow, "control");
    let (mut folded, resynced) = catch_up(&mut viewer);
    assert!(!resynced);
    assert_eq!(folded, waiting);
    assert_eq!(folded.open_blockers().count(), 1);

    let mut info_conn = Connection::connect(&run.socket).expect("connect");
    info_conn.hello(false, "").expect("hello");
    let id = info_conn.next_id();
    let view: RunView = serde_json::from_value(
        info_conn
            .request(&ClientMessage::Info { id })
            .expect("info"),
    )
    .expect("a view");
    assert_eq!((view.status.as_str(), view.viewers), ("running", 1));
    assert_eq!(view.blockers[0].options, ["Keep it", "Migrate"]);

    decide(&run.socket, "pts/2", 2).expect("decided");
    assert_eq!(follow(&mut viewer, &mut folded), "finished");
    let (end, _) = run.done.join().expect("run");
    assert_eq!(folded, end);
    assert!(end.finished.is_some());
    assert!(!run.socket.exists(), "the socket is removed at the end");
}

#[test]
fn two_clients_race_for_one_blocker_the_first_wins_the_second_hears_who() {
    // A second blocker keeps the run going after the first is decided.
    let run = start_run_of(&format!(
        "{WORKFLOW}\n[[blockers]]\nid = \"deploy\"\ntask = \"C\"\nseverity = \"high\"\n\
         title = \"Ship?\"\noptions = [{{ label = \"Ship\" }}, {{ label = \"Hold\" }}]\n"
    ));
    run.waiting.recv().expect("waits");
    let [mut a, mut b] = ["pts/1", "pts/2"].map(|at| {
        let mut conn = Connection::connect(&run.socket).expect("connect");
        conn.hello(false, at).expect("hello");
        conn
    });
    let first = std::thread::spawn(move || decide_on(&mut a, 1));
    let second = std::thread::spawn(move || decide_on(&mut b, 2));
    let results = [first.join().expect("a"), second.join().expect("b")];
    let wins = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(wins, 1, "{results:?}");
    let refused = results
        .iter()
        .find_map(|r| r.clone().err())
        .expect("one refused");
    assert!(
        refused.contains("already decided by root@pts/"),
        "{refused}"
    );
    run.waiting.recv().expect("waits for the second blocker");
    let mut conn = Connection::connect(&run.socket).expect("connect");
    conn.hello(false, "pts/3").expect("hello");
    let id = conn.next_id();
    conn.request(&ClientMessage::Decide {
        id,
        blocker: "deploy".into(),
        option: 1,
    })
    .expect("decided");
    run.done.join().expect("run");
}

#[test]
fn a_hostile_client_gets_errors_and_a_good_client_still_works() {
    let run = start_run();
    run.waiting.recv().expect("waits");
    let mut bad = UnixStream::connect(&run.socket).expect("connect");
    let mut reading = BufReader::new(bad.try_clone().expect("clone"));
    let mut errors = Vec::new();
    let mut expect_error = |bad: &mut UnixStream, send: &[u8]| {
        bad.write_all(send).expect("send");
        let parsed = loop {
            let mut line = String::new();
            reading.read_line(&mut line).expect("read");
            let parsed: serde_json::Value = serde_json::from_str(&line).expect("json");
            if parsed["type"] != "hello" {
                break parsed;
            }
        };
        assert_eq!(parsed["type"], "error", "{parsed}");
        errors.push(parsed["error"].as_str().unwrap_or_default().to_string());
    };
    expect_error(&mut bad, b"{\"type\":\"stop\",\"id\":1}\n");
    expect_error(&mut bad, b"not json at all\n");
    let mut huge = vec![b'x'; 10 * 1024 * 1024];
    huge.push(b'\n');
    expect_error(&mut bad, &huge);
    expect_error(
        &mut bad,
        b"{\"type\":\"hello\",\"protocol\":\"orch-tui-control\",\"version\":1,\"watch\":false}\n{\"type\":\"format_disk\",\"id\":2}\n",
    );
    assert!(errors[0].starts_with("say hello first"), "{errors:?}");
    assert!(errors[1].starts_with("cannot read the line"), "{errors:?}");
    assert!(errors[2].contains("longer than"), "{errors:?}");
    assert!(errors[3].contains("format_disk"), "{errors:?}");

    let mut wrong = Connection::connect(&run.socket).expect("connect");
    wrong
        .send(&ClientMessage::Hello {
            protocol: "orch-tui-control".into(),
            version: 99,
            watch: true,
            at: String::new(),
            owner: false,
        })
        .expect("send");
    match wrong.next_line().expect("line") {
        Some(ServerLine::Message(ServerMessage::Error { error })) => {
            assert!(error.contains("version 1"), "{error}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        wrong.next_line().expect("end"),
        None,
        "a wrong version is let go"
    );

    decide(&run.socket, "pts/3", 1).expect("a good client decides");
    let (end, _) = run.done.join().expect("run");
    assert!(end.finished.is_some());
}

/// A workflow long enough that a viewer which does not read falls far behind.
fn long_workflow(tasks: usize) -> String {
    let mut text = String::from(
        "[workflow]\nname = \"long\"\n\n[[agents]]\nid = \"dev\"\nrole = \"engineer\"\n",
    );
    for i in 0..tasks {
        text.push_str(&format!(
            "\n[[tasks]]\nid = \"t{i}\"\nrole = \"engineer\"\nestimate = 1\n"
        ));
    }
    text
}

#[test]
fn a_slow_viewer_is_resynced_and_publish_never_waits_for_it() {
    setup();
    let (mut engine, header) = engine_of(&long_workflow(1500));
    let hub = Hub::open(info(&new_run_id("long"), "long"), &header, Arc::new(|| {})).expect("hub");
    let mut slow = Connection::connect(hub.socket()).expect("connect");
    slow.hello(true, "slow").expect("hello");
    let mut quick = Connection::connect(hub.socket()).expect("connect");
    quick.hello(true, "quick").expect("hello");
    let (mut quick_state, _) = catch_up(&mut quick);
    let quick_reader = std::thread::spawn(move || {
        let reason = follow(&mut quick, &mut quick_state);
        (quick_state, reason)
    });

    engine.start();
    let mut published = 0;
    loop {
        let events: Vec<Event> = engine.drain();
        published += events.len();
        hub.publish(&events);
        if !engine.step() {
            break;
        }
    }
    hub.publish(&engine.drain());
    assert!(published > 10_000, "{published} events");
    let end = engine.state().clone();
    // Everything was published while `slow` read nothing; now it reads.
    let (first, resynced) = catch_up(&mut slow);
    let (mut slow_state, resynced) = if resynced {
        (first, true)
    } else {
        let mut state = first;
        loop {
            match slow.next_line().expect("line").expect("open") {
                ServerLine::Message(ServerMessage::Resync) => break,
                ServerLine::Event(e) => state.apply(&e).expect("apply"),
                _ => {}
            }
        }
        (catch_up(&mut slow).0, true)
    };
    assert!(resynced, "the slow viewer was resynced");
    hub.close(RunStatus::Succeeded);
    assert_eq!(follow(&mut slow, &mut slow_state), "finished");
    assert_eq!(slow_state, end);
    let (quick_state, reason) = quick_reader.join().expect("quick");
    assert_eq!((quick_state, reason.as_str()), (end, "finished"));
}

/// The other end of the tests below, run as a process of its own: connects to
/// `ORCH_TEST_CLIENT`, says hello as a viewer, prints the outcome, then waits to be killed
/// (`ORCH_TEST_HANG`).
#[test]
#[ignore = "run by the tests below as a separate process"]
fn client_process() {
    let Some(socket) = std::env::var_os("ORCH_TEST_CLIENT") else {
        return;
    };
    let outcome = Connection::connect(Path::new(&socket))
        .map_err(|e| e.to_string())
        .and_then(|mut c| c.hello(true, "child").map(|run| (c, run)));
    match outcome {
        Ok((conn, run)) => {
            println!("HELLO {}", run.id);
            if std::env::var_os("ORCH_TEST_HANG").is_some() {
                let _keep = conn;
                std::thread::sleep(Duration::from_secs(3600));
            }
        }
        Err(e) => println!("REFUSED {e}"),
    }
}

fn client_command(socket: &Path) -> Command {
    let mut cmd = Command::new(std::env::current_exe().expect("test binary"));
    cmd.args([
        "--exact",
        "client_process",
        "--ignored",
        "--nocapture",
        "--quiet",
    ])
    .env("ORCH_TEST_CLIENT", socket)
    .stdout(Stdio::piped());
    cmd
}

fn wait_for_viewers(socket: &Path, want: usize) {
    for _ in 0..2000 {
        let mut conn = Connection::connect(socket).expect("connect");
        conn.hello(false, "").expect("hello");
        let id = conn.next_id();
        let view: RunView =
            serde_json::from_value(conn.request(&ClientMessage::Info { id }).expect("info"))
                .expect("view");
        if view.viewers == want {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("the run never had {want} viewers");
}

#[test]
fn a_viewer_killed_mid_stream_leaves_the_run_going() {
    let run = start_run();
    run.waiting.recv().expect("waits");
    let mut child = client_command(&run.socket)
        .env("ORCH_TEST_HANG", "1")
        .spawn()
        .expect("child");
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    while !line.starts_with("HELLO") {
        line.clear();
        assert!(
            out.read_line(&mut line).expect("read") > 0,
            "the child ended"
        );
    }
    wait_for_viewers(&run.socket, 1);
    child.kill().expect("kill -9");
    child.wait().expect("reaped");
    wait_for_viewers(&run.socket, 0);
    decide(&run.socket, "pts/4", 1).expect("decided");
    let (end, viewers) = run.done.join().expect("run");
    assert!(end.finished.is_some());
    assert_eq!(viewers, 0);
}

#[test]
fn a_client_of_another_uid_is_refused() {
    if !nix::unistd::getuid().is_root() {
        eprintln!("skipped: only root can run a client as `nobody`");
        return;
    }
    let run = start_run();
    run.waiting.recv().expect("waits");
    // A folder `nobody` can reach, holding a second name of the run's socket.
    let open = tempfile::tempdir().expect("tempdir");
    let link = open.path().join("run.sock");
    std::fs::hard_link(&run.socket, &link).expect("link");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(open.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    std::fs::set_permissions(&link, std::fs::Permissions::from_mode(0o666)).expect("chmod");
    let exe = std::env::current_exe().expect("test binary");
    let output = Command::new("setpriv")
        .args(["--reuid=nobody", "--regid=nogroup", "--clear-groups"])
        .arg(&exe)
        .args([
            "--exact",
            "client_process",
            "--ignored",
            "--nocapture",
            "--quiet",
        ])
        .env("ORCH_TEST_CLIENT", &link)
        .output()
        .expect("setpriv");
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(
        said.contains("REFUSED refused: this run belongs to another user"),
        "{said}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The run's own user still gets in.
    let own = client_command(&run.socket).output().expect("own client");
    assert!(String::from_utf8_lossy(&own.stdout).contains("HELLO control-"));
    decide(&run.socket, "pts/5", 1).expect("decided");
    run.done.join().expect("run");
    assert!(run_folder().is_ok());
}

#[test]
fn a_client_that_stops_sending_still_gets_its_replies() {
    let run = start_run();
    run.waiting.recv().expect("waits");
    let mut stream = UnixStream::connect(&run.socket).expect("connect");
    stream
        .write_all(
            b"{\"type\":\"hello\",\"protocol\":\"orch-tui-control\",\"version\":1,\"watch\":false}\n\
              {\"type\":\"decide\",\"id\":1,\"blocker\":\"schema\",\"option\":1}\n",
        )
        .expect("send");
    // As `printf ... | orch-tui bridge RUN` does: nothing more to say.
    stream
        .shutdown(std::net::Shutdown::Write)
        .expect("shutdown");
    let mut said = String::new();
    BufReader::new(stream)
        .read_to_string(&mut said)
        .expect("read to the end");
    let reply = said
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|v| v["type"] == "reply")
        .unwrap_or_else(|| panic!("no reply in {said}"));
    assert_eq!(
        (reply["id"].as_u64(), reply["ok"].as_bool()),
        (Some(1), Some(true))
    );
    run.done.join().expect("run");
}
