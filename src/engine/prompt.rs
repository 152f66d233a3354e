//! The instruction a coding agent is given for a task: the task's own `prompt` when the workflow
//! writes one, otherwise a prompt built from the same data as a command agent's context package —
//! the task's name, description and `context`, and the outputs of the tasks it depends on — so
//! that the agent knows what to do and what was handed over to it.

use serde_json::Value;

/// The prompt for the task described by `package` (a context package), whose own `prompt` is
/// `written`.
pub fn prompt(written: Option<&str>, package: &Value) -> String {
    if let Some(written) = written {
        return written.to_string();
    }
    let task = &package["task"];
    let text = |v: &Value| v.as_str().unwrap_or_default().trim().to_string();
    let mut parts = vec![format!("Your task: {}", text(&task["name"]))];
    let description = text(&task["description"]);
    if !description.is_empty() {
        parts.push(description);
    }
    if let Some(context) = task["context"].as_object().filter(|c| !c.is_empty()) {
        let lines: Vec<String> = context
            .iter()
            .map(|(key, value)| format!("- {key}: {}", plain(value)))
            .collect();
        parts.push(format!("Context:\n{}", lines.join("\n")));
    }
    if let Some(inputs) = package["inputs"].as_object().filter(|i| !i.is_empty()) {
        let lines: Vec<String> = inputs
            .iter()
            .map(|(dep, output)| match output.as_str() {
                Some(output) => format!("## From task `{dep}`\n{output}"),
                None => format!("## From task `{dep}`\n(it handed nothing over)"),
            })
            .collect();
        parts.push(format!(
            "The tasks this one depends on handed over:\n\n{}",
            lines.join("\n\n")
        ));
    }
    parts.push("When you are done, answer with a short summary of what you did.".into());
    parts.join("\n\n")
}

/// A context value as text: strings as they are, anything else as JSON.
fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_written_prompt_is_used_as_it_is() {
        assert_eq!(prompt(Some("Fix it."), &json!({})), "Fix it.");
    }

    #[test]
    fn without_one_the_task_its_context_and_its_inputs_make_the_prompt() {
        let package = json!({
            "task": {"id": "impl", "name": "Implement the parser", "description": "Use nom.",
                     "context": {"crate": "src/parse", "budget": 3}},
            "inputs": {"research": "Use a streaming parser.", "gate": null},
        });
        assert_eq!(
            prompt(None, &package),
            "Your task: Implement the parser\n\nUse nom.\n\nContext:\n- budget: 3\n- crate: src/parse\n\n\
             The tasks this one depends on handed over:\n\n## From task `gate`\n(it handed nothing over)\n\n\
             ## From task `research`\nUse a streaming parser.\n\n\
             When you are done, answer with a short summary of what you did."
        );
    }
}
