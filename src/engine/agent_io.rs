//! What passes between the engine and the driver that runs real (command) agents: the requests
//! the engine queues (start a process, write a decision to its stdin), the reports the
//! driver feeds back about what a process did, and the context package a process is given on its
//! first stdin line — its task, its own context and the outputs of the tasks it depends on.

use super::event::LogLevel;
use super::state::State;
use crate::workflow::model::BlockerReport;
use serde_json::{Value, json};
use std::path::PathBuf;

/// The agent protocol's version, sent in every context package.
pub const PROTOCOL_VERSION: u32 = 1;

/// Something the engine needs a driver to do to a real process.
#[derive(Debug, Clone, PartialEq)]
pub enum AgentRequest {
    /// Start the attempt's process.
    Launch(Box<Launch>),
    /// Tell the attempt's process which option was chosen for its blocker.
    Decide {
        task: String,
        attempt: u32,
        /// The blocker's id as the agent named it.
        blocker: String,
        /// 1-based.
        option: usize,
    },
    /// End the attempt's process group: its task was cancelled, moved to another agent, or stopped.
    End { task: String, attempt: u32 },
}

/// One attempt of a task on a command agent, ready to start.
#[derive(Debug, Clone, PartialEq)]
pub struct Launch {
    pub task: String,
    pub agent: String,
    pub attempt: u32,
    pub argv: Vec<String>,
    pub cwd: Option<PathBuf>,
    /// Names of the environment variables passed through.
    pub env: Vec<String>,
    pub timeout_ms: Option<u64>,
    pub heartbeat_ms: Option<u64>,
    /// The context package, written as the first line of stdin.
    pub input: Value,
    /// The language the process speaks on stdin and stdout.
    pub speaks: Speaks,
}

/// The stdin/stdout language of an attempt's process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Speaks {
    /// orch-tui's own agent protocol (`docs/agent-protocol.md`).
    #[default]
    Protocol,
    /// Claude Code's stream-json, both ways (`claude -p --input-format stream-json ...`).
    Claude,
    /// Codex's JSON-RPC (`codex app-server`).
    Codex,
    /// Gemini CLI's stream-json output (`gemini --output-format stream-json`).
    Gemini,
}

/// What a real agent's process did, as the driver saw it.
#[derive(Debug, Clone, PartialEq)]
pub enum AgentReport {
    Progress {
        pct: u8,
        note: Option<String>,
    },
    Log {
        level: LogLevel,
        text: String,
    },
    Blocker(Box<RaisedBlocker>),
    Message {
        to: String,
        text: String,
    },
    /// The handoff summary, passed on to dependants if the attempt succeeds.
    Result {
        summary: String,
    },
    /// The attempt's tokens and cost so far: each report replaces the one before.
    Usage(Usage),
    /// What a coding agent is doing: its tool calls, text, turns and todo list.
    Activity(Activity),
    /// The agent took back the question behind its blocker `blocker` (its own id).
    Withdrawn {
        blocker: String,
    },
    Exited(Exit),
}

/// Tokens an attempt has used so far, and what they cost when the agent says.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Usage {
    pub input_tokens: u64,
    pub output_tokens: u64,
    /// Input tokens read from the model's cache.
    pub cached_tokens: u64,
    /// US dollars as the agent reported them; `None` when it reports tokens only.
    pub cost_usd: Option<f64>,
    /// The model the tokens were spent on, when the agent names it.
    pub model: Option<String>,
}

/// One step of a coding agent's work, as its CLI reported it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum Activity {
    /// A tool call began: the tool's name and its input folded to one line (`cargo test`,
    /// `src/lib.rs`).
    ToolCall {
        id: String,
        tool: String,
        input: String,
    },
    /// The tool call `id` ended: whether it worked, and its output folded to one line.
    ToolResult {
        id: String,
        ok: bool,
        output: String,
    },
    /// One message of the agent's own text.
    Text { text: String },
    /// A model turn ended; `turns` counts them from the start of the attempt.
    Turn { turns: u32 },
    /// The agent's own todo list: items done, of all.
    Todo { done: u32, total: u32 },
    /// The CLI's id for this conversation.
    Session { id: String },
}

/// A blocker a real agent raised: its own id and the exception report.
#[derive(Debug, Clone, PartialEq)]
pub struct RaisedBlocker {
    pub id: String,
    pub report: BlockerReport,
    /// For a permission request (kind `PERMISSION`): the tool call it asks about.
    pub permission: Option<ToolAsk>,
}

/// The tool call a coding agent asks permission for.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ToolAsk {
    /// The tool's name as the CLI gives it (`Bash`, `Edit`, `commandExecution`).
    pub tool: String,
    /// Its input folded to one line: the command, or the files a change touches.
    pub input: String,
}

/// How a process ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exit {
    Succeeded,
    /// Why the attempt failed: an exit status, a signal, a timeout, silence.
    Failed(String),
    /// Failed in a way a retry on the same agent would only repeat (a CLI that is not logged
    /// in): the task goes to a backup, if any, without retries.
    FailedForGood(String),
}

/// The first stdin line of task `t`'s attempt on agent `a`: the task, the agent, the attempt, the
/// task's own context and the outputs of the tasks it depends on (gates have none) — nothing
/// else of the workflow.
pub fn context_package(state: &State, t: usize, a: usize, attempt: u32) -> Value {
    let node = &state.nodes[t];
    let agent = &state.agents[a].agent;
    let inputs: serde_json::Map<String, Value> = node
        .deps
        .iter()
        .map(|&d| &state.nodes[d])
        .filter(|dep| !dep.is_gate())
        .map(|dep| (dep.task.id.clone(), json!(dep.output)))
        .collect();
    json!({
        "type": "context",
        "protocol": PROTOCOL_VERSION,
        "run": state.workflow.name,
        "task": {
            "id": node.task.id,
            "name": node.task.name,
            "description": node.task.description,
            "context": node.task.context,
        },
        "agent": { "id": agent.id, "name": agent.name, "role": agent.role },
        "attempt": attempt,
        "inputs": inputs,
    })
}
