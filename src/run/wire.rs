//! The control protocol's messages, a public format (`docs/control.md`): JSON lines over a run's
//! Unix socket (or over the stdio of `ssh HOST orch-tui bridge RUN`). A client says hello; a
//! watching client then gets the recording's header, every event so far, `live`, and from then
//! on each event as it happens, with the run's clock and notices; any client sends requests,
//! each answered by a reply with the same `id`. An event travels as `{"event": E}` where `E` is
//! the event's recording line, so a viewer reads it as a replay reads a recording.

use crate::engine::Event;
use crate::engine::event::PlanChange;
use crate::record::Header;
use serde::{Deserialize, Serialize};

/// The name a hello carries on both sides.
pub const PROTOCOL: &str = "orch-tui-control";
/// Bumped on an incompatible change; a peer of another version is refused with an error.
pub const VERSION: u32 = 1;
/// The longest line a client may send; a longer one is answered with an error and dropped.
pub const MAX_CLIENT_LINE: usize = 64 * 1024;

/// What a client sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMessage {
    /// The first line. `watch`: send the run's events (a viewer), or only replies (a command).
    /// `at`: where the person is (a terminal, or the host an ssh connection came from),
    /// recorded with their decisions beside the user name the server reads from the socket.
    Hello {
        protocol: String,
        version: u32,
        watch: bool,
        #[serde(default)]
        at: String,
        /// The dashboard that started the run: when its connection ends without `detach`
        /// (the terminal closed, the process killed), the run stops.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        owner: bool,
    },
    /// Choose option `option` (1-based) of blocker `blocker`.
    Decide {
        id: u64,
        blocker: String,
        option: usize,
    },
    /// Change the plan.
    Replan { id: u64, change: PlanChange },
    /// Acknowledge an alert.
    Acknowledge { id: u64, alert: String },
    /// The projected finish (run ms) of each option of an open blocker; `null` where unknown.
    Project { id: u64, blocker: String },
    /// Pause, resume or change the speed of a simulated run.
    Clock { id: u64, action: ClockAction },
    /// The run's summary as `orch-tui ls` shows it.
    Info { id: u64 },
    /// This client leaves; the run goes on.
    Detach { id: u64 },
    /// Stop the run as `q` does in the dashboard.
    Stop { id: u64 },
}

impl ClientMessage {
    /// The request's id (a hello has none).
    pub fn id(&self) -> Option<u64> {
        match self {
            ClientMessage::Hello { .. } => None,
            ClientMessage::Decide { id, .. }
            | ClientMessage::Replan { id, .. }
            | ClientMessage::Acknowledge { id, .. }
            | ClientMessage::Project { id, .. }
            | ClientMessage::Clock { id, .. }
            | ClientMessage::Info { id }
            | ClientMessage::Detach { id }
            | ClientMessage::Stop { id } => Some(*id),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockAction {
    Pause,
    Resume,
    Faster,
    Slower,
}

/// What the server sends, besides events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    Hello {
        protocol: String,
        version: u32,
        run: RunInfo,
    },
    /// The recording's first line; the events so far follow.
    Header { header: Box<Header> },
    /// The catch-up is over: what follows happens now.
    Live,
    /// The run's clock, sent after `live` and whenever it changes.
    Clock(ClockState),
    /// The answer to request `id`.
    Reply {
        id: u64,
        ok: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        result: Option<serde_json::Value>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error: Option<String>,
    },
    /// A line that could not be taken (not JSON, too long, unknown request, no hello first).
    Error { error: String },
    /// This viewer fell behind: a new header and catch-up follow; start the state afresh.
    Resync,
    /// Something a person should read (the recording cannot be written, say).
    Notice { text: String },
    /// The server ends this connection: `detached`, `finished`, `stopped`.
    Bye { reason: String },
}

/// Which run this is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunInfo {
    pub id: String,
    pub workflow: String,
    /// The workflow file, when the run has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recording: Option<String>,
    pub pid: u32,
    pub started_at: String,
}

/// The run's clock as a viewer extrapolates it: run time `now_ms` at the moment the message
/// was sent, moving at `rate` run ms per wall ms unless paused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClockState {
    pub paused: bool,
    /// Real agents: the wall clock, no pause, no speed.
    pub wall_clock: bool,
    /// Workflow units per second.
    pub speed: f64,
    /// Run ms per wall ms.
    pub rate: f64,
    pub now_ms: u64,
    /// When `now_ms` was read, in ms since the Unix epoch: a viewer extrapolates from then.
    #[serde(default)]
    pub wall_ms: u64,
    /// The run's expected finish (run ms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forecast_ms: Option<u64>,
}

/// One line from the server: an event or a message.
#[derive(Debug, Clone, PartialEq)]
pub enum ServerLine {
    Event(Box<Event>),
    Message(ServerMessage),
}

const EVENT_PREFIX: &str = "{\"event\":";

/// The line that carries `recorded` (an event's recording line, without its newline).
pub fn event_line(recorded: &str) -> String {
    let mut line = String::with_capacity(recorded.len() + EVENT_PREFIX.len() + 2);
    line.push_str(EVENT_PREFIX);
    line.push_str(recorded);
    line.push_str("}\n");
    line
}

/// Reads one line from the server.
pub fn parse_server_line(line: &str) -> serde_json::Result<ServerLine> {
    let line = line.trim_end();
    if let Some(inner) = line
        .strip_prefix(EVENT_PREFIX)
        .and_then(|rest| rest.strip_suffix('}'))
    {
        return Event::from_line(inner).map(|e| ServerLine::Event(Box::new(e)));
    }
    serde_json::from_str(line).map(ServerLine::Message)
}

/// A message as one line, newline included.
pub fn message_line<T: Serialize>(message: &T) -> String {
    let mut line = serde_json::to_string(message).unwrap_or_else(|e| {
        serde_json::json!({"type": "error", "error": format!("cannot encode a message: {e}")})
            .to_string()
    });
    line.push('\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_line_reads_back_as_the_event() {
        let event = Event {
            seq: 3,
            at_ms: 1200,
            body: crate::engine::EventBody::TaskStarted {
                task: "build".into(),
                agent: "dev".into(),
                attempt: 1,
            },
            wall_ms: None,
        };
        let recorded = serde_json::to_string(&event).unwrap();
        let parsed = parse_server_line(&event_line(&recorded)).unwrap();
        assert_eq!(parsed, ServerLine::Event(Box::new(event)));
    }

    #[test]
    fn messages_read_back() {
        let reply = ServerMessage::Reply {
            id: 7,
            ok: false,
            result: None,
            error: Some("no blocker B9".into()),
        };
        let parsed = parse_server_line(&message_line(&reply)).unwrap();
        assert_eq!(parsed, ServerLine::Message(reply));
        let hello: ClientMessage = serde_json::from_str(
            r#"{"type":"hello","protocol":"orch-tui-control","version":1,"watch":true}"#,
        )
        .unwrap();
        assert!(matches!(hello, ClientMessage::Hello { watch: true, .. }));
    }
}
