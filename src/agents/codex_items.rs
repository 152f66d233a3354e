//! What Codex's app-server says about the items of a turn (`item/started`, `item/completed`,
//! `turn/plan/updated`, `thread/tokenUsage/updated`), turned into orch-tui's activity and usage:
//! a command execution is a `Bash` tool call with its command, a file change an `Edit` of its
//! files, an MCP call `server.tool`, a web search `WebSearch`; an agent message is text; the plan's
//! steps are the todo list. Codex reports tokens only, never a price.

use super::fold::{one_line, printable};
use crate::engine::agent_io::{Activity, Usage};
use serde_json::Value;

/// A tool call an item stands for: the tool and its input, one line each.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemCall {
    pub tool: String,
    pub input: String,
}

/// The tool call `item` (a `ThreadItem`) stands for, if it is one.
pub fn call_of(item: &Value) -> Option<ItemCall> {
    let text = |key: &str| item[key].as_str().unwrap_or_default();
    let (tool, input) = match text("type") {
        "commandExecution" => ("Bash".to_string(), command_of(item)),
        "fileChange" => ("Edit".to_string(), files_of(&item["changes"])),
        "mcpToolCall" => (
            format!("{}.{}", text("server"), text("tool")),
            item["arguments"].to_string(),
        ),
        "dynamicToolCall" => (text("tool").to_string(), item["arguments"].to_string()),
        "webSearch" => ("WebSearch".to_string(), text("query").to_string()),
        _ => return None,
    };
    Some(ItemCall {
        tool,
        input: one_line(&input),
    })
}

/// The command of a command execution as the model wrote it (`commandActions`), or else the
/// shell line Codex runs.
pub fn command_of(item: &Value) -> String {
    let actions: Vec<&str> = item["commandActions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|action| action["command"].as_str())
        .collect();
    match actions.is_empty() {
        true => item["command"].as_str().unwrap_or_default().to_string(),
        false => actions.join("; "),
    }
}

/// The paths a file change touches, comma-separated.
fn files_of(changes: &Value) -> String {
    changes
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|change| change["path"].as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The activity an `item/started` notification reports.
pub fn started(item: &Value) -> Option<Activity> {
    let call = call_of(item)?;
    Some(Activity::ToolCall {
        id: item["id"].as_str().unwrap_or_default().to_string(),
        tool: call.tool,
        input: call.input,
    })
}

/// The activity an `item/completed` notification reports: a tool call's result, or the agent's
/// text.
pub fn completed(item: &Value) -> Option<Activity> {
    if item["type"] == "agentMessage" {
        let text = item["text"].as_str()?;
        return Some(Activity::Text {
            text: printable(text, true),
        });
    }
    call_of(item)?;
    let status = item["status"].as_str().unwrap_or("completed");
    let ok = status == "completed" && item["exitCode"].as_i64().is_none_or(|code| code == 0);
    let output = match item["aggregatedOutput"].as_str() {
        Some(output) if !output.trim().is_empty() => one_line(output),
        _ => status.to_string(),
    };
    Some(Activity::ToolResult {
        id: item["id"].as_str().unwrap_or_default().to_string(),
        ok,
        output,
    })
}

/// The todo list of a `turn/plan/updated` notification: steps completed, of all.
pub fn todo(params: &Value) -> Option<Activity> {
    let steps = params["plan"].as_array()?;
    let done = steps.iter().filter(|s| s["status"] == "completed").count();
    Some(Activity::Todo {
        done: done as u32,
        total: steps.len() as u32,
    })
}

/// The thread's tokens so far from a `thread/tokenUsage/updated` notification.
pub fn usage(params: &Value, model: Option<&str>) -> Option<Usage> {
    let total = &params["tokenUsage"]["total"];
    let count = |key: &str| total[key].as_u64();
    Some(Usage {
        input_tokens: count("inputTokens")?,
        output_tokens: count("outputTokens")?,
        cached_tokens: count("cachedInputTokens").unwrap_or(0),
        cost_usd: None,
        model: model.map(str::to_string),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_command_is_a_bash_call_with_the_command_the_model_wrote() {
        let item = json!({"type":"commandExecution","id":"c1","command":"/bin/bash -lc 'touch x'",
            "commandActions":[{"type":"unknown","command":"touch x"}],"status":"inProgress"});
        assert_eq!(
            started(&item),
            Some(Activity::ToolCall {
                id: "c1".into(),
                tool: "Bash".into(),
                input: "touch x".into()
            })
        );
        let done = json!({"type":"commandExecution","id":"c1","command":"ls","commandActions":[],
            "status":"completed","exitCode":2,"aggregatedOutput":"no\nsuch file"});
        assert_eq!(
            completed(&done),
            Some(Activity::ToolResult {
                id: "c1".into(),
                ok: false,
                output: "no such file".into()
            })
        );
    }

    #[test]
    fn a_file_change_is_an_edit_of_its_files_and_a_declined_one_did_not_work() {
        let item = json!({"type":"fileChange","id":"f1","status":"declined","changes":[
            {"path":"src/a.rs","kind":{"type":"add"},"diff":""},
            {"path":"src/b.rs","kind":{"type":"delete"},"diff":""}]});
        assert_eq!(
            call_of(&item).map(|c| (c.tool, c.input)),
            Some(("Edit".into(), "src/a.rs, src/b.rs".into()))
        );
        assert_eq!(
            completed(&item),
            Some(Activity::ToolResult {
                id: "f1".into(),
                ok: false,
                output: "declined".into()
            })
        );
    }

    #[test]
    fn messages_are_text_and_other_items_say_nothing() {
        let message = json!({"type":"agentMessage","id":"m","text":"all done"});
        assert_eq!(
            completed(&message),
            Some(Activity::Text {
                text: "all done".into()
            })
        );
        assert_eq!(started(&message), None);
        assert_eq!(completed(&json!({"type":"reasoning","id":"r"})), None);
    }

    #[test]
    fn the_plan_is_the_todo_list_and_usage_is_the_threads_total() {
        let plan = json!({"plan":[{"step":"a","status":"completed"},{"step":"b","status":"inProgress"},
            {"step":"c","status":"pending"}]});
        assert_eq!(todo(&plan), Some(Activity::Todo { done: 1, total: 3 }));
        let tokens = json!({"tokenUsage":{"total":{"inputTokens":200,"cachedInputTokens":20,
            "outputTokens":40,"reasoningOutputTokens":0,"totalTokens":240},"last":{}}});
        assert_eq!(
            usage(&tokens, Some("gpt-5")),
            Some(Usage {
                input_tokens: 200,
                output_tokens: 40,
                cached_tokens: 20,
                cost_usd: None,
                model: Some("gpt-5".into())
            })
        );
        assert_eq!(usage(&json!({}), None), None);
    }
}
