//! The blocker a coding agent's permission request becomes: kind `PERMISSION`, naming the tool
//! and its input, with the same three options for every CLI — 1 allow once, 2 allow for the rest
//! of this task, 3 deny — so that keys, `--decide` and rules mean the same whichever CLI asks.
//! Each dialect writes the chosen option back in its CLI's own words.

use crate::engine::agent_io::{RaisedBlocker, ToolAsk};
use crate::workflow::model::{BlockerReport, DecisionOption, Severity};

/// The options of a permission blocker, in order.
pub const OPTIONS: [&str; 3] = ["Allow once", "Allow for the rest of this task", "Deny"];

/// What a permission blocker's option (1-based) means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    AllowOnce,
    AllowForTask,
    Deny,
}

impl Choice {
    /// Option `option` (1-based); anything but 1 or 2 denies, so a bad number never allows.
    pub fn of(option: usize) -> Choice {
        match option {
            1 => Choice::AllowOnce,
            2 => Choice::AllowForTask,
            _ => Choice::Deny,
        }
    }
}

/// The blocker `id` asking whether `tool` may run with `input` (already one line); `why` is the
/// agent's own reason, when it gives one.
pub fn permission_blocker(id: &str, tool: &str, input: &str, why: Option<&str>) -> RaisedBlocker {
    let option = |label: &str| DecisionOption {
        label: label.to_string(),
        pros: String::new(),
        cons: String::new(),
        timeline: String::new(),
        resources: String::new(),
        effect: Default::default(),
    };
    let issue = match why {
        Some(why) if !why.trim().is_empty() => format!("wants to run {tool}: {input} ({why})"),
        _ => format!("wants to run {tool}: {input}"),
    };
    RaisedBlocker {
        id: id.to_string(),
        report: BlockerReport {
            kind: "PERMISSION".into(),
            severity: Severity::Medium,
            category: "permission".into(),
            title: format!("{tool}: {input}"),
            issue,
            impact: "the agent waits for the answer".into(),
            options: OPTIONS.iter().map(|label| option(label)).collect(),
            recommended: 1,
        },
        permission: Some(ToolAsk {
            tool: tool.to_string(),
            input: input.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_permission_blocker_names_the_tool_and_offers_three_options_in_order() {
        let b = permission_blocker("7", "Bash", "touch x", Some("make a file"));
        assert_eq!(b.report.kind, "PERMISSION");
        assert_eq!(b.report.title, "Bash: touch x");
        assert!(b.report.issue.contains("make a file"));
        let labels: Vec<_> = b.report.options.iter().map(|o| o.label.as_str()).collect();
        assert_eq!(labels, OPTIONS);
        assert_eq!(b.permission.map(|p| p.tool), Some("Bash".to_string()));
    }

    #[test]
    fn only_options_one_and_two_allow() {
        assert_eq!(Choice::of(1), Choice::AllowOnce);
        assert_eq!(Choice::of(2), Choice::AllowForTask);
        for n in [0, 3, 4, 99] {
            assert_eq!(Choice::of(n), Choice::Deny);
        }
    }
}
