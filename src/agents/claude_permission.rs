//! Claude Code's permission requests (`control_request` with subtype `can_use_tool`) as
//! orch-tui blockers of kind `PERMISSION`, and the decision sent back as Claude's
//! `control_response`: 1 allow once, 2 allow for the rest of the task (Claude's own
//! `permission_suggestions` sent back as `updatedPermissions`), 3 deny with a message telling the
//! agent why and to go on. Deny is recommended, so that nothing runs unless someone (or a rule)
//! allows it.

use super::fold::one_line;
use crate::engine::agent_io::{RaisedBlocker, ToolAsk};
use crate::sanitise::sanitise_line;
use crate::workflow::model::{BlockerReport, DecisionOption, Severity};
use serde_json::{Value, json};

/// What the agent is told when a person denies its tool call.
pub const DENIED: &str = "Permission denied by the person supervising this task in orch-tui. \
Do not try this tool call again; go on with the task another way, or finish and say what is left.";

/// A permission request waiting for its decision.
#[derive(Debug, Clone)]
pub struct Ask {
    pub input: Value,
    pub suggestions: Option<Value>,
}

/// The blocker for Claude's request `id` to run `tool` with `input`, from agent `agent` on task
/// `task`.
pub fn blocker(
    id: &str,
    agent: &str,
    task: &str,
    tool: &str,
    input: &Value,
    why: &str,
) -> RaisedBlocker {
    let folded = fold_input(tool, input);
    let mut issue = format!("{tool}: {folded}");
    if !why.is_empty() {
        issue.push_str(&format!(" ({})", one_line(why)));
    }
    let option = |label: &str, pros: &str, cons: &str| DecisionOption {
        label: label.into(),
        pros: pros.into(),
        cons: cons.into(),
        timeline: String::new(),
        resources: String::new(),
        effect: Default::default(),
    };
    RaisedBlocker {
        id: id.to_string(),
        report: BlockerReport {
            kind: "PERMISSION".into(),
            severity: Severity::High,
            category: "permission".into(),
            title: sanitise_line(&format!("{agent} wants to run {tool} on task {task}")),
            issue,
            impact: format!("task {task} waits until this is decided"),
            options: vec![
                option(
                    "Allow once",
                    "the agent goes on",
                    "this call runs unchecked",
                ),
                option(
                    "Allow for the rest of this task",
                    "no more questions like this one on this task",
                    "later calls of this kind run unchecked",
                ),
                option("Deny", "nothing runs", "the agent must find another way"),
            ],
            recommended: 3,
        },
        permission: Some(ToolAsk {
            tool: sanitise_line(tool),
            input: folded,
        }),
    }
}

/// The `control_response` line answering request `id` (asking `ask`) with option `option`. The
/// request's input and suggestions are moved into the answer, not copied.
pub fn answer(id: &str, ask: Ask, option: usize) -> String {
    let decision = match option {
        1 | 2 => {
            let mut allow = json!({"behavior": "allow"});
            allow["updatedInput"] = ask.input;
            if let (2, Some(s)) = (option, ask.suggestions) {
                allow["updatedPermissions"] = s;
            }
            allow
        }
        _ => json!({"behavior": "deny", "message": DENIED}),
    };
    let mut line =
        json!({"type": "control_response", "response": {"subtype": "success", "request_id": id}});
    line["response"]["response"] = decision;
    line.to_string()
}

/// A tool call's input on one line: the command, the file, the pattern, else compact JSON.
pub fn fold_input(tool: &str, input: &Value) -> String {
    let field = match tool {
        "Bash" => "command",
        "Edit" | "MultiEdit" | "Write" | "Read" => "file_path",
        "NotebookEdit" => "notebook_path",
        "Glob" | "Grep" => "pattern",
        "WebFetch" => "url",
        "WebSearch" => "query",
        _ => "",
    };
    match input.get(field).and_then(Value::as_str) {
        Some(text) => one_line(text),
        None => one_line(&input.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_permission_request_is_a_permission_blocker_with_three_options() {
        let b = blocker(
            "r1",
            "dev1",
            "T",
            "Bash",
            &json!({"command": "touch F\n"}),
            "make a file",
        );
        assert_eq!(b.report.kind, "PERMISSION");
        assert_eq!(b.report.title, "dev1 wants to run Bash on task T");
        assert_eq!(b.report.issue, "Bash: touch F (make a file)");
        let labels: Vec<&str> = b.report.options.iter().map(|o| o.label.as_str()).collect();
        assert_eq!(
            labels,
            ["Allow once", "Allow for the rest of this task", "Deny"]
        );
        assert_eq!(
            b.permission,
            Some(ToolAsk {
                tool: "Bash".into(),
                input: "touch F".into()
            })
        );
    }

    #[test]
    fn answers_allow_with_the_input_and_deny_with_a_message() {
        let ask = Ask {
            input: json!({"command": "ls"}),
            suggestions: Some(json!([{"type": "addRules"}])),
        };
        let allow: Value = serde_json::from_str(&answer("r1", ask.clone(), 1)).expect("json");
        assert_eq!(allow["response"]["request_id"], "r1");
        assert_eq!(
            allow["response"]["response"]["updatedInput"]["command"],
            "ls"
        );
        assert!(
            allow["response"]["response"]
                .get("updatedPermissions")
                .is_none()
        );
        let session: Value = serde_json::from_str(&answer("r1", ask.clone(), 2)).expect("json");
        assert_eq!(
            session["response"]["response"]["updatedPermissions"][0]["type"],
            "addRules"
        );
        let deny: Value = serde_json::from_str(&answer("r1", ask, 3)).expect("json");
        assert_eq!(deny["response"]["response"]["behavior"], "deny");
        assert_eq!(deny["response"]["response"]["message"], DENIED);
    }

    #[test]
    fn tool_inputs_fold_to_what_matters() {
        assert_eq!(
            fold_input(
                "Edit",
                &json!({"file_path": "src/lib.rs", "old_string": "a"})
            ),
            "src/lib.rs"
        );
        assert_eq!(fold_input("Task", &json!({"x": 1})), r#"{"x":1}"#);
    }
}
