//! Real agents: command agents run as processes that speak the agent protocol
//! (`docs/agent-protocol.md`). The engine never runs anything itself; it queues requests that a
//! driver hands to the `runner` through a `link`, and takes back reports of what the processes
//! did. Each attempt is started (`program`) and supervised in its own process group (`process`,
//! `group`), its output read within fixed bounds (`lines`, `flood`) and understood by
//! its `dialect`: orch-tui's own `protocol`, or a coding-agent CLI's.

pub mod claude;
pub mod claude_permission;
pub mod codex;
pub mod codex_items;
pub mod dialect;
pub mod flood;
pub mod fold;
pub mod gemini;
pub mod group;
pub mod installed;
pub mod lines;
pub mod link;
pub mod permission;
pub mod process;
pub mod program;
pub mod protocol;
pub mod runner;

pub use link::Link;
pub use runner::{Doorbell, Runner, Wake};
