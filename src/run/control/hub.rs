//! The run's side of the control socket. The hub binds `RUN.sock`, writes the run's `ls`
//! entry, and serves every client on threads of its own. It keeps the header and each event's
//! line (serialized once, shared by every viewer) and folds the events into a `State`, so it
//! answers `info` and catches a viewer up without asking the run. The run only publishes what
//! it recorded and takes the requests clients made; neither ever waits on a client.

use super::Wake;
use super::entry::RunEntry;
use super::folder::{run_folder, socket_path};
use super::request::Request;
use super::serve::serve;
use super::shared::{Log, Shared};
use crate::engine::{Event, RunStatus, State};
use crate::record::Header;
use crate::run::wire::{ClockState, RunInfo, ServerMessage, event_line, message_line};
use nix::unistd::getuid;
use std::collections::VecDeque;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long `close` lets clients read their last lines.
const CLOSE_GRACE: Duration = Duration::from_secs(2);

pub struct Hub {
    shared: Arc<Shared>,
    dir: PathBuf,
    socket: PathBuf,
    accept: Option<JoinHandle<()>>,
}

impl Hub {
    /// Binds RUN.sock in the run folder, writes the run's entry for `ls`, starts serving.
    pub fn open(info: RunInfo, header: &Header, wake: Wake) -> std::io::Result<Hub> {
        let dir = run_folder()?;
        let socket = socket_path(&dir, &info.id)?;
        if socket.exists() {
            if UnixStream::connect(&socket).is_ok() {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::AddrInUse,
                    format!("{}: another run has the id {}", socket.display(), info.id),
                ));
            }
            std::fs::remove_file(&socket)?;
        }
        let listener = UnixListener::bind(&socket)?;
        std::fs::set_permissions(&socket, std::fs::Permissions::from_mode(0o600))?;
        RunEntry {
            run: info.clone(),
            status: None,
            finished_at: None,
            summary: None,
        }
        .write(&dir)?;
        let header_line = message_line(&ServerMessage::Header {
            header: Box::new(header.clone()),
        });
        let shared = Arc::new(Shared {
            info,
            uid: getuid(),
            wake,
            log: Mutex::new(Log {
                header: header_line.into(),
                lines: Vec::new(),
                state: State::new(Arc::new(header.workflow.clone())),
                clock: None,
                clients: Vec::new(),
            }),
            requests: Mutex::new(VecDeque::new()),
            closing: AtomicBool::new(false),
            owner_lost: AtomicBool::new(false),
        });
        let accepting = shared.clone();
        let accept = std::thread::Builder::new()
            .name("control-accept".into())
            .spawn(move || accept_loop(&accepting, &listener))?;
        Ok(Hub {
            shared,
            dir,
            socket,
            accept: Some(accept),
        })
    }

    /// Which run this is.
    pub fn info(&self) -> &RunInfo {
        &self.shared.info
    }

    /// Where the socket is.
    pub fn socket(&self) -> &std::path::Path {
        &self.socket
    }

    /// Events the run produced, in order, after the recorder wrote them. Never blocks.
    pub fn publish(&self, events: &[Event]) {
        if events.is_empty() {
            return;
        }
        let mut log = self.shared.lock_log();
        let start = log.lines.len();
        for event in events {
            let Ok(recorded) = serde_json::to_string(event) else {
                continue;
            };
            // The engine made these events from this same fold; one it refused is still sent.
            let _ = log.state.apply(event);
            log.lines.push(event_line(&recorded).into());
        }
        let Log { lines, clients, .. } = &*log;
        for client in clients {
            client.push_events(&lines[start..]);
        }
    }

    pub fn publish_clock(&self, clock: ClockState) {
        let line: Arc<str> = message_line(&ServerMessage::Clock(clock)).into();
        let mut log = self.shared.lock_log();
        for client in &log.clients {
            client.push_events(std::slice::from_ref(&line));
        }
        log.clock = Some(line);
    }

    pub fn publish_notice(&self, text: &str) {
        let line: Arc<str> = message_line(&ServerMessage::Notice {
            text: text.to_string(),
        })
        .into();
        for client in &self.shared.lock_log().clients {
            client.push_events(std::slice::from_ref(&line));
        }
    }

    /// Requests from clients, oldest first. Never blocks.
    pub fn take_requests(&self) -> Vec<Request> {
        self.shared.lock_requests().drain(..).collect()
    }

    /// Whether the dashboard that owned the run left without detaching it: the run should
    /// stop, as it would have with its terminal.
    pub fn owner_lost(&self) -> bool {
        self.shared.owner_lost.load(Ordering::SeqCst)
    }

    /// Watching clients attached now.
    pub fn viewers(&self) -> usize {
        self.shared.viewers()
    }

    /// Refuses the requests still waiting, says bye (`finished`/`stopped`) to every client, removes the socket, keeps the entry
    /// (as finished, with its final status and summary) for `ls`.
    pub fn close(mut self, status: RunStatus) {
        self.shared.closing.store(true, Ordering::SeqCst);
        let reason = if status == RunStatus::Stopped {
            "stopped"
        } else {
            "finished"
        };
        let bye = message_line(&ServerMessage::Bye {
            reason: reason.into(),
        });
        for request in self.take_requests() {
            request.answer(Err(format!("the run has {reason}")));
        }
        let clients = self.shared.lock_log().clients.clone();
        for client in &clients {
            client.bye(bye.clone());
        }
        // Wakes the accept loop, which sees `closing` and ends. A socket removed from under
        // the run (its folder cleaned at logout) cannot wake it: the loop is then left to end
        // with the process.
        if UnixStream::connect(&self.socket).is_ok()
            && let Some(accept) = self.accept.take()
        {
            let _ = accept.join();
        }
        let _ = std::fs::remove_file(&self.socket);
        let mut summary = self.shared.view();
        summary.viewers = 0;
        let status_text = serde_json::to_value(status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        summary.status = status_text.clone();
        let entry = RunEntry {
            run: self.shared.info.clone(),
            status: Some(status_text),
            finished_at: Some(
                humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
            ),
            summary: Some(summary),
        };
        if let Err(e) = entry.write(&self.dir) {
            tracing::warn!(
                "cannot write the run's entry in {}: {e}",
                self.dir.display()
            );
        }
        let until = Instant::now() + CLOSE_GRACE;
        for client in &clients {
            client.wait_written(until);
        }
    }
}

fn accept_loop(shared: &Arc<Shared>, listener: &UnixListener) {
    for stream in listener.incoming() {
        if shared.closing.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = stream else { continue };
        let serving = shared.clone();
        let spawned = std::thread::Builder::new()
            .name("control-client".into())
            .spawn(move || serve(serving, stream));
        if let Err(e) = spawned {
            tracing::warn!("cannot serve a control client: {e}");
        }
    }
}
