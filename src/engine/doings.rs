//! What coding agents are doing, folded from `agent_activity` events: for the attempt running
//! on each task, the tool call in progress, the turns so far, the agent's own todo list and the
//! CLI's session id; and for each task the last few tool calls with how they ended. The state
//! keeps only this much; the recording keeps every step.

use crate::engine::FastMap;
use crate::engine::agent_io::Activity;
use std::collections::VecDeque;

/// How many tool calls a task keeps for its details.
pub const TOOL_CALLS_KEPT: usize = 8;

/// One tool call and, once it ended, its result.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolCall {
    pub id: String,
    pub tool: String,
    pub input: String,
    pub at_ms: u64,
    /// Whether it worked and its output folded to one line, once it ended.
    pub result: Option<(bool, String)>,
}

impl ToolCall {
    /// The call shortened for a narrow column: `Bash: cargo test`, `Edit src/lib.rs`.
    pub fn short(&self) -> String {
        short_call(&self.tool, &self.input)
    }
}

/// A tool call as one short line: `Bash: cargo test` for a command, `Edit src/lib.rs` for
/// others.
pub fn short_call(tool: &str, input: &str) -> String {
    let input = one_line(input, 120);
    match (tool, input.is_empty()) {
        (tool, true) => tool.to_string(),
        ("Bash" | "bash" | "shell" | "commandExecution" | "command_execution", false) => {
            format!("Bash: {input}")
        }
        (tool, false) => format!("{tool} {input}"),
    }
}

/// `text` folded to one line (every run of white space, line breaks included, becomes one
/// space) of at most `max` characters, ending in `…` when cut.
pub fn one_line(text: &str, max: usize) -> String {
    let mut out = String::new();
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
        if out.chars().count() > max {
            let mut cut: String = out.chars().take(max.saturating_sub(1)).collect();
            cut.push('…');
            return cut;
        }
    }
    out
}

/// What the current attempt of one task is doing, and its recent tool calls.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaskDoing {
    /// The id of the tool call in progress, if any (in `calls`).
    current: Option<String>,
    pub turns: u32,
    /// Done and total items of the agent's own todo list.
    pub todo: Option<(u32, u32)>,
    pub session: Option<String>,
    /// The last tool calls, oldest first, across attempts.
    pub calls: VecDeque<ToolCall>,
}

impl TaskDoing {
    /// The tool call in progress.
    pub fn current(&self) -> Option<&ToolCall> {
        let id = self.current.as_ref()?;
        self.calls.iter().rev().find(|c| c.id == *id)
    }
}

/// Every task's doings, by task index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Doings {
    tasks: FastMap<usize, TaskDoing>,
}

impl Doings {
    pub fn of(&self, t: usize) -> Option<&TaskDoing> {
        self.tasks.get(&t)
    }

    /// A new attempt of task `t` starts: its turns, todo list and current call start afresh.
    pub fn attempt_started(&mut self, t: usize) {
        if let Some(d) = self.tasks.get_mut(&t) {
            d.current = None;
            d.turns = 0;
            d.todo = None;
        }
    }

    /// The attempt of task `t` ended: nothing is in progress any more.
    pub fn attempt_ended(&mut self, t: usize) {
        if let Some(d) = self.tasks.get_mut(&t) {
            d.current = None;
        }
    }

    pub fn apply(&mut self, t: usize, activity: &Activity, at_ms: u64) {
        let d = self.tasks.entry(t).or_default();
        match activity {
            Activity::ToolCall { id, tool, input } => {
                if d.calls.len() == TOOL_CALLS_KEPT {
                    d.calls.pop_front();
                }
                d.calls.push_back(ToolCall {
                    id: id.clone(),
                    tool: tool.clone(),
                    input: input.clone(),
                    at_ms,
                    result: None,
                });
                d.current = Some(id.clone());
            }
            Activity::ToolResult { id, ok, output } => {
                if let Some(c) = d.calls.iter_mut().rev().find(|c| c.id == *id) {
                    c.result = Some((*ok, output.clone()));
                }
                if d.current.as_ref() == Some(id) {
                    d.current = None;
                }
            }
            Activity::Turn { turns } => d.turns = *turns,
            Activity::Todo { done, total } => d.todo = Some(((*done).min(*total), *total)),
            Activity::Session { id } => d.session = Some(id.clone()),
            Activity::Text { .. } => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(id: &str, tool: &str, input: &str) -> Activity {
        Activity::ToolCall {
            id: id.into(),
            tool: tool.into(),
            input: input.into(),
        }
    }

    #[test]
    fn the_current_call_ends_with_its_result_and_old_calls_drop_off() {
        let mut doings = Doings::default();
        doings.apply(0, &call("1", "Bash", "cargo  test"), 5);
        assert_eq!(
            doings.of(0).unwrap().current().unwrap().short(),
            "Bash: cargo test"
        );
        doings.apply(
            0,
            &Activity::ToolResult {
                id: "1".into(),
                ok: true,
                output: "ok".into(),
            },
            6,
        );
        assert!(doings.of(0).unwrap().current().is_none());
        for i in 0..20 {
            doings.apply(0, &call(&i.to_string(), "Edit", "src/lib.rs"), 7);
        }
        let d = doings.of(0).unwrap();
        assert_eq!(d.calls.len(), TOOL_CALLS_KEPT);
        assert_eq!(d.current().unwrap().short(), "Edit src/lib.rs");
        assert_eq!(d.calls.front().unwrap().id, "12");
    }
}
