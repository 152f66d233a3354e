//! A viewer's side of a run in another process: `catch_up` reads the header and every event so
//! far into the run's `State` (keeping the latest events for the log), then `Inbox::follow`
//! reads the lines that follow on a thread of its own and keeps them until the viewer takes
//! them, calling `wake` for each, so the viewer never blocks on its connection.

use super::Wake;
use crate::engine::{Event, State};
use crate::run::wire::{ServerLine, ServerMessage, parse_server_line};
use std::collections::VecDeque;
use std::io::BufRead;
use std::sync::{Arc, Mutex};

/// The run's events kept from a catch-up for the log.
const RECENT: usize = 500;

/// A run caught up to `live`.
pub struct CaughtUp {
    pub state: State,
    /// The latest events of the catch-up, oldest first.
    pub recent: Vec<Event>,
}

/// Reads a watching connection's catch-up: from the header (after any `resync`) through `live`.
pub fn catch_up(input: &mut impl BufRead) -> Result<CaughtUp, String> {
    let mut state: Option<State> = None;
    let mut recent = VecDeque::with_capacity(RECENT);
    let mut line = String::new();
    loop {
        match read_line(input, &mut line)? {
            None => return Err("the run closed the connection during the catch-up".into()),
            Some(ServerLine::Message(ServerMessage::Header { header })) => {
                state = Some(State::new(Arc::new(header.workflow)));
                recent.clear();
            }
            Some(ServerLine::Event(event)) => {
                let state = state
                    .as_mut()
                    .ok_or("the run sent an event before its header")?;
                state
                    .apply(&event)
                    .map_err(|e| format!("the run sent an event out of order: {e}"))?;
                if recent.len() == RECENT {
                    recent.pop_front();
                }
                recent.push_back(*event);
            }
            Some(ServerLine::Message(ServerMessage::Live)) => {
                let state = state.ok_or("the run went live before sending its header")?;
                return Ok(CaughtUp {
                    state,
                    recent: recent.into(),
                });
            }
            Some(ServerLine::Message(ServerMessage::Error { error })) => return Err(error),
            Some(ServerLine::Message(ServerMessage::Bye { reason })) => {
                return Err(format!("the run ended the connection ({reason})"));
            }
            Some(ServerLine::Message(_)) => {}
        }
    }
}

/// The next line from the run, read into `line` (kept from call to call, so that a catch-up of
/// a million lines does not allocate one for each).
fn read_line(input: &mut impl BufRead, line: &mut String) -> Result<Option<ServerLine>, String> {
    loop {
        line.clear();
        match input.read_line(line) {
            Ok(0) => return Ok(None),
            Ok(_) if line.trim().is_empty() => continue,
            Ok(_) => {
                return parse_server_line(line)
                    .map(Some)
                    .map_err(|e| format!("the run sent a line this orch-tui cannot read: {e}"));
            }
            Err(e) => return Err(format!("cannot read from the run: {e}")),
        }
    }
}

/// The lines read from the run since the viewer last looked, and why the connection ended.
#[derive(Default)]
pub struct Inbox {
    pub lines: Vec<ServerLine>,
    /// Set when the connection ended: the reason, when it was not a `bye`.
    pub closed: Option<String>,
}

impl Inbox {
    /// Reads `input` on a thread of its own until it closes.
    pub fn follow(
        mut input: impl BufRead + Send + 'static,
        wake: Wake,
    ) -> std::io::Result<Arc<Mutex<Inbox>>> {
        let inbox = Arc::new(Mutex::new(Inbox::default()));
        let filling = inbox.clone();
        std::thread::Builder::new()
            .name("control-follow".into())
            .spawn(move || {
                let mut line = String::new();
                loop {
                    let read = read_line(&mut input, &mut line);
                    let mut inbox = filling.lock().unwrap_or_else(|p| p.into_inner());
                    match read {
                        Ok(Some(line)) => inbox.lines.push(line),
                        Ok(None) => inbox.closed = Some("the run closed the connection".into()),
                        Err(e) => inbox.closed = Some(e),
                    }
                    let closed = inbox.closed.is_some();
                    drop(inbox);
                    wake();
                    if closed {
                        return;
                    }
                }
            })?;
        Ok(inbox)
    }
}
