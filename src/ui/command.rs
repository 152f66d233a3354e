//! The `:` command line of a live run, turned into changes of plan: `reassign TASK AGENT`,
//! `retry TASK`, `cancel TASK`, `pause AGENT`, `resume AGENT`, `estimate TASK DURATION` and
//! `add ID ["Name"] (role=ROLE | agent=AGENT) DURATION [after=A,B] [before=C]`. The add-task form
//! builds its task through the same `NewTask`. Durations read as in workflow files (a number in
//! the workflow's unit, or `"30m"`, `"1.5h"`). The engine checks the change itself.

use crate::engine::event::PlanChange;
use crate::engine::state::State;
use crate::time::parse_duration;
use crate::workflow::model::Task;

/// What the command line understands, for its hint and its errors.
pub const USAGE: &str = "reassign T A · retry T · cancel T · pause A · resume A · estimate T 2h · add ID \"Name\" role=R 2h after=T before=U";

/// A task to add, as typed: each field as text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewTask {
    pub id: String,
    pub name: String,
    /// An agent id, or else a role.
    pub who: String,
    pub estimate: String,
    /// Comma- or space-separated task ids.
    pub after: String,
    pub before: String,
}

impl NewTask {
    /// The change that adds this task, or what is missing or malformed.
    pub fn to_change(&self, state: &State) -> Result<PlanChange, String> {
        let id = self.id.trim();
        if id.is_empty() {
            return Err("give the task an id".into());
        }
        let who = self.who.trim();
        if who.is_empty() {
            return Err("name an agent or a role to run it".into());
        }
        let (agent, role) = match state.agent_index(who) {
            Some(_) => (Some(who.to_string()), None),
            None => (None, Some(who.to_string())),
        };
        let estimate = self.estimate.trim();
        if estimate.is_empty() {
            return Err("give an estimate, e.g. 2h or 30m".into());
        }
        let estimate_ms =
            parse_duration(estimate, state.workflow.unit).map_err(|e| format!("estimate: {e}"))?;
        let name = match self.name.trim() {
            "" => id.to_string(),
            name => name.to_string(),
        };
        let task = Task {
            id: id.to_string(),
            name,
            description: String::new(),
            agent,
            role,
            estimate_ms,
            depends_on: ids(&self.after),
            priority: Default::default(),
            phase: None,
            resources: Vec::new(),
            context: Default::default(),
            output: None,
            sim: Default::default(),
            review: None,
            prompt: None,
            argv: None,
            timeout_ms: None,
        };
        Ok(PlanChange::AddTask {
            task: Box::new(task),
            before: ids(&self.before),
        })
    }
}

fn ids(text: &str) -> Vec<String> {
    text.split([',', ' '])
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The change a command line asks for.
pub fn parse(line: &str, state: &State) -> Result<PlanChange, String> {
    let words = split(line)?;
    let arg = |i: usize, what: &str| {
        words
            .get(i)
            .cloned()
            .ok_or_else(|| format!("`{}` needs {what}; e.g. {USAGE}", words[0]))
    };
    let Some(verb) = words.first() else {
        return Err(format!("type a command: {USAGE}"));
    };
    let change = match verb.as_str() {
        "reassign" => PlanChange::Reassign {
            task: arg(1, "a task and an agent")?,
            to: arg(2, "an agent")?,
        },
        "retry" => PlanChange::Retry {
            task: arg(1, "a task")?,
        },
        "cancel" | "skip" => PlanChange::Cancel {
            task: arg(1, "a task")?,
        },
        "pause" => PlanChange::PauseAgent {
            agent: arg(1, "an agent")?,
        },
        "resume" => PlanChange::ResumeAgent {
            agent: arg(1, "an agent")?,
        },
        "estimate" => {
            let task = arg(1, "a task and a duration")?;
            let text = arg(2, "a duration")?;
            let estimate_ms =
                parse_duration(&text, state.workflow.unit).map_err(|e| e.to_string())?;
            PlanChange::SetEstimate { task, estimate_ms }
        }
        "add" => new_task(&words[1..], state)?.to_change(state)?,
        other => return Err(format!("unknown command `{other}`; try {USAGE}")),
    };
    let expected = match &change {
        PlanChange::Reassign { .. } | PlanChange::SetEstimate { .. } => 3,
        PlanChange::AddTask { .. } => words.len(),
        _ => 2,
    };
    if words.len() > expected {
        return Err(format!("too many words for `{verb}`; e.g. {USAGE}"));
    }
    Ok(change)
}

/// `ID ["Name"] (role=R | agent=A) DURATION [after=..] [before=..]`.
fn new_task(words: &[String], state: &State) -> Result<NewTask, String> {
    let mut task = NewTask::default();
    let mut name: Vec<&str> = Vec::new();
    for (i, word) in words.iter().enumerate() {
        match word.split_once('=') {
            _ if i == 0 => task.id = word.clone(),
            Some(("role" | "agent", v)) => task.who = v.to_string(),
            Some(("after", v)) => task.after = v.to_string(),
            Some(("before", v)) => task.before = v.to_string(),
            Some(("name", v)) => name.push(v),
            Some((key, _)) => {
                return Err(format!(
                    "unknown field `{key}`; use role=, agent=, after=, before= or name="
                ));
            }
            None if task.estimate.is_empty()
                && parse_duration(word, state.workflow.unit).is_ok() =>
            {
                task.estimate = word.clone();
            }
            None => name.push(word),
        }
    }
    task.name = name.join(" ");
    Ok(task)
}

/// Words, with double quotes keeping spaces inside one.
fn split(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if quoted {
        return Err("a quote is not closed".into());
    }
    if !word.is_empty() {
        words.push(word);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn state() -> State {
        let w = crate::workflow::parse(
            r#"[workflow]
name = "c"
[[agents]]
id = "eng1"
role = "engineer"
[[tasks]]
id = "A"
role = "engineer"
estimate = 2
"#,
            "c.toml",
        )
        .expect("valid");
        State::new(Arc::new(w))
    }

    #[test]
    fn reads_every_command() {
        let s = state();
        assert_eq!(
            parse("reassign A eng1", &s),
            Ok(PlanChange::Reassign {
                task: "A".into(),
                to: "eng1".into()
            })
        );
        assert_eq!(
            parse("estimate A 90m", &s),
            Ok(PlanChange::SetEstimate {
                task: "A".into(),
                estimate_ms: 5_400_000
            })
        );
        assert_eq!(
            parse("pause eng1", &s),
            Ok(PlanChange::PauseAgent {
                agent: "eng1".into()
            })
        );
        let Ok(PlanChange::AddTask { task, before }) = parse(
            r#"add fix "Fix it" role=engineer 2h after=A before=B,C"#,
            &s,
        ) else {
            panic!("add parses");
        };
        assert_eq!(
            (task.id.as_str(), task.name.as_str(), task.role.as_deref()),
            ("fix", "Fix it", Some("engineer"))
        );
        assert_eq!(task.estimate_ms, 7_200_000);
        assert_eq!(task.depends_on, vec!["A"]);
        assert_eq!(before, vec!["B", "C"]);
    }

    #[test]
    fn says_what_is_wrong() {
        let s = state();
        assert!(parse("frobnicate A", &s).is_err_and(|e| e.contains("unknown command")));
        assert!(parse("retry", &s).is_err_and(|e| e.contains("needs a task")));
        assert!(parse("retry A B", &s).is_err_and(|e| e.contains("too many words")));
        assert!(parse("add x role=engineer", &s).is_err_and(|e| e.contains("estimate")));
        assert!(parse(r#"add x "open"#, &s).is_err_and(|e| e.contains("quote")));
    }
}
