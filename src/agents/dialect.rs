//! Dialects: the language an attempt's process speaks on stdin and stdout. orch-tui's own agent
//! protocol is one; each coding-agent CLI (Claude Code's stream-json, Codex's app-server
//! JSON-RPC, Gemini's stream-json) is another. A dialect says what to write first, reads each
//! stdout line into reports (and lines to write back at once, such as a handshake), writes the
//! answer to a blocker in the agent's own format, says when the agent needs no more input, and
//! may overrule how the attempt ended.

pub use super::protocol::Said;
use crate::engine::agent_io::{Exit, Launch};

/// The process side of one language spoken over stdin and stdout.
pub trait Dialect: Send {
    /// Lines written to stdin at start.
    fn opening(&mut self, launch: &Launch) -> Vec<String>;
    /// One stdout line: what it says (zero or more), and lines to write back at once.
    fn read(&mut self, line: &str) -> Heard;
    /// The stdin lines answering the agent's blocker `blocker` (its own id) with option `option` (1-based).
    fn answer(&mut self, blocker: &str, option: usize) -> Vec<String>;
    /// The attempt's end as this dialect sees it.
    fn verdict(&mut self, exit: Exit) -> Exit {
        exit
    }
    /// Whether the agent needs no more input: once the lines written so far are sent, its stdin
    /// is closed, which is how a CLI that waits for more (Codex's app-server after its turn, Gemini
    /// reading its prompt to the end) learns that it is done.
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
