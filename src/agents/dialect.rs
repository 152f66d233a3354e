//! Dialects: the language an attempt's process speaks on stdin and stdout. orch-tui's own agent
//! protocol is one; each coding-agent CLI (Claude Code's stream-json, Codex's app-server
//! JSON-RPC, Gemini's stream-json) is another. A dialect says what to write first, reads each
//! stdout line into reports (and lines to write back at once, such as a handshake), writes the
//! answer to a blocker in the agent's own format, and may overrule how the attempt ended (a CLI
//! that exits 0 after reporting an error). Everything else — process groups, timeouts, the
//! heartbeat, bounds on output — is the same for every dialect (`process`).

use super::claude::ClaudeDialect;
use super::codex::CodexDialect;
use super::gemini::GeminiDialect;
use super::protocol::ProtocolDialect;
use crate::engine::agent_io::{AgentReport, Exit, Launch, Speaks};

/// What one stdout line says.
#[derive(Debug, Clone, PartialEq)]
pub enum Said {
    Message(AgentReport),
    /// Plain output: a log line.
    Plain(String),
    /// Looked like a message of the dialect but is not one.
    Unreadable {
        why: String,
    },
}

/// The process side of one language spoken over stdin and stdout.
pub trait Dialect: Send {
    /// Lines written to stdin at start.
    fn opening(&mut self, launch: &Launch) -> Vec<String>;
    /// One stdout line: what it says (zero or more), and lines to write back at once.
    fn read(&mut self, line: &str) -> Heard;
    /// The stdin lines answering the agent's blocker `blocker` (its own id) with option `option` (1-based).
    fn answer(&mut self, blocker: &str, option: usize) -> Vec<String>;
    /// The attempt's end as this dialect sees it (Claude's `is_error` result turns exit 0 into a failure).
    fn verdict(&mut self, exit: Exit) -> Exit {
        exit
    }
    /// Whether the agent needs no more input: once the lines written so far are sent, its stdin
    /// is closed. That is how a CLI that would wait for more learns that it is done (Codex's
    /// app-server after its turn, Gemini reading its prompt to the end).
    fn input_done(&self) -> bool {
        false
    }
}

/// What a dialect made of one stdout line.
#[derive(Debug, Default)]
pub struct Heard {
    /// What the line says, in order.
    pub said: Vec<Said>,
    /// Lines to write to stdin at once.
    pub replies: Vec<String>,
}

impl Heard {
    /// A line that says one thing and needs no reply.
    pub fn one(said: Said) -> Heard {
        Heard {
            said: vec![said],
            replies: Vec::new(),
        }
    }
}

/// The instruction for a coding agent, as the engine put it into the launch's input.
pub fn prompt(launch: &Launch) -> &str {
    launch.input["prompt"].as_str().unwrap_or_default()
}

/// A fresh dialect for one attempt of a process speaking `speaks`.
pub fn dialect_for(speaks: Speaks) -> Box<dyn Dialect> {
    match speaks {
        Speaks::Protocol => Box::new(ProtocolDialect),
        Speaks::Claude => Box::new(ClaudeDialect::default()),
        Speaks::Codex => Box::new(CodexDialect::new()),
        Speaks::Gemini => Box::new(GeminiDialect::new()),
    }
}

/// The longest stdout line read whole from a process speaking `speaks`, in bytes. The agent
/// protocol keeps its messages short; coding-agent CLIs echo whole files in tool results.
pub fn line_limit(speaks: Speaks) -> usize {
    match speaks {
        Speaks::Protocol => super::lines::MAX_LINE,
        Speaks::Claude | Speaks::Codex | Speaks::Gemini => CODING_LINE,
    }
}

/// Longest stdout line kept from a coding-agent CLI.
const CODING_LINE: usize = 16 * 1024 * 1024;
