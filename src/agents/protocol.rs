//! The agent protocol, process side (`docs/agent-protocol.md`), as the `Speaks::Protocol`
//! dialect: the context package as the first stdin line, each stdout line of a command agent read
//! into a report, and a decision written to its stdin. A line that starts with
//! `{` must be a protocol message; one that does not parse (garbage, half-written JSON, an
//! unknown `type`, a blocker without options) comes back as a warning with the reason. Any other
//! line is plain output, as from a program that knows nothing of the protocol.

use super::dialect::{Dialect, Heard, Said};
use crate::engine::agent_io::{AgentReport, Launch, RaisedBlocker, ToolAsk, Usage};
use crate::engine::event::LogLevel;
use crate::workflow::model::{BlockerReport, DecisionOption, Severity};
use serde::Deserialize;

/// orch-tui's own agent protocol as a dialect.
pub struct ProtocolDialect;

impl Dialect for ProtocolDialect {
    fn opening(&mut self, launch: &Launch) -> Vec<String> {
        vec![launch.input.to_string()]
    }

    fn read(&mut self, line: &str) -> Heard {
        Heard::one(read_line(line))
    }

    fn answer(&mut self, blocker: &str, option: usize) -> Vec<String> {
        vec![decision_line(blocker, option)]
    }
}

/// One protocol message on stdout, as written.
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum AgentLine {
    Progress {
        pct: f64,
        #[serde(default)]
        note: Option<String>,
    },
    Log {
        #[serde(default)]
        level: Option<LogLevel>,
        text: String,
    },
    Blocker(BlockerMessage),
    Message {
        to: String,
        text: String,
    },
    Result {
        summary: String,
    },
    Usage(UsageMessage),
}

/// The attempt's tokens (and cost, when the agent knows it) so far.
#[derive(Deserialize)]
struct UsageMessage {
    #[serde(default)]
    input_tokens: u64,
    #[serde(default)]
    output_tokens: u64,
    #[serde(default)]
    cached_tokens: u64,
    #[serde(default)]
    cost_usd: Option<f64>,
    #[serde(default)]
    model: Option<String>,
}

#[derive(Deserialize)]
struct BlockerMessage {
    id: String,
    title: String,
    severity: Severity,
    /// The blocker's type (`TECHNICAL_BLOCKER`, `CONFLICT`, ...).
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    category: String,
    #[serde(default)]
    issue: String,
    #[serde(default)]
    impact: String,
    options: Vec<OptionMessage>,
    #[serde(default)]
    recommended: Option<usize>,
    /// For a permission request: the tool the agent wants to use, and its input on one line.
    #[serde(default)]
    tool: Option<String>,
    #[serde(default)]
    input: Option<String>,
}

#[derive(Deserialize)]
struct OptionMessage {
    label: String,
    #[serde(default)]
    pros: String,
    #[serde(default)]
    cons: String,
    #[serde(default)]
    timeline: String,
    #[serde(default)]
    resources: String,
}

/// Reads one stdout line.
pub fn read_line(line: &str) -> Said {
    if !line.trim_start().starts_with('{') {
        return Said::Plain(line.to_string());
    }
    match serde_json::from_str::<AgentLine>(line) {
        Ok(message) => match report(message) {
            Ok(report) => Said::Message(report),
            Err(why) => Said::Unreadable { why },
        },
        Err(e) => Said::Unreadable { why: e.to_string() },
    }
}

fn report(message: AgentLine) -> Result<AgentReport, String> {
    Ok(match message {
        AgentLine::Progress { pct, note } => AgentReport::Progress {
            pct: pct.clamp(0.0, 100.0).round() as u8,
            note,
        },
        AgentLine::Log { level, text } => AgentReport::Log {
            level: level.unwrap_or(LogLevel::Info),
            text,
        },
        AgentLine::Blocker(b) => AgentReport::Blocker(Box::new(blocker(b)?)),
        AgentLine::Message { to, text } => AgentReport::Message { to, text },
        AgentLine::Result { summary } => AgentReport::Result { summary },
        AgentLine::Usage(u) => {
            if u.cost_usd.is_some_and(|c| !(c.is_finite() && c >= 0.0)) {
                return Err("cost_usd is US dollars, 0 or more".into());
            }
            AgentReport::Usage(Usage {
                input_tokens: u.input_tokens,
                output_tokens: u.output_tokens,
                cached_tokens: u.cached_tokens,
                cost_usd: u.cost_usd,
                model: u.model,
            })
        }
    })
}

fn blocker(b: BlockerMessage) -> Result<RaisedBlocker, String> {
    if b.options.is_empty() {
        return Err("a blocker needs at least one option".into());
    }
    let id = if b.id.trim().is_empty() {
        "blocker".to_string()
    } else {
        b.id
    };
    let recommended = b
        .recommended
        .filter(|r| (1..=b.options.len()).contains(r))
        .unwrap_or(1);
    let options = b
        .options
        .into_iter()
        .map(|o| DecisionOption {
            label: o.label,
            pros: o.pros,
            cons: o.cons,
            timeline: o.timeline,
            resources: o.resources,
            effect: Default::default(),
        })
        .collect();
    Ok(RaisedBlocker {
        id,
        report: BlockerReport {
            kind: b.kind.unwrap_or_else(|| "TECHNICAL_BLOCKER".into()),
            severity: b.severity,
            category: b.category,
            title: b.title,
            issue: b.issue,
            impact: b.impact,
            options,
            recommended,
        },
        permission: b.tool.map(|tool| ToolAsk {
            tool,
            input: b.input.unwrap_or_default(),
        }),
    })
}

/// The stdin line that tells an agent which option (1-based) was chosen for its blocker.
pub fn decision_line(blocker: &str, option: usize) -> String {
    let blocker = serde_json::Value::from(blocker);
    format!(r#"{{"type":"decision","blocker":{blocker},"option":{option}}}"#)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_message_type() {
        assert_eq!(
            read_line(r#"{"type":"progress","pct":42.4,"note":"half"}"#),
            Said::Message(AgentReport::Progress {
                pct: 42,
                note: Some("half".into())
            })
        );
        assert_eq!(
            read_line(r#"{"type":"log","text":"hi"}"#),
            Said::Message(AgentReport::Log {
                level: LogLevel::Info,
                text: "hi".into()
            })
        );
        assert_eq!(
            read_line(r#"{"type":"result","summary":"done"}"#),
            Said::Message(AgentReport::Result {
                summary: "done".into()
            })
        );
        let Said::Message(AgentReport::Blocker(b)) = read_line(
            r#"{"type":"blocker","id":"b1","title":"t","severity":"high","options":[{"label":"a"},{"label":"b"}],"recommended":2}"#,
        ) else {
            panic!("a blocker");
        };
        assert_eq!((b.id.as_str(), b.report.recommended), ("b1", 2));
        assert_eq!(b.report.options[1].label, "b");
    }

    #[test]
    fn reads_usage_with_or_without_a_cost() {
        assert_eq!(
            read_line(
                r#"{"type":"usage","input_tokens":1200,"output_tokens":300,"cached_tokens":200,"cost_usd":0.25,"model":"m"}"#
            ),
            Said::Message(AgentReport::Usage(Usage {
                input_tokens: 1200,
                output_tokens: 300,
                cached_tokens: 200,
                cost_usd: Some(0.25),
                model: Some("m".into()),
            }))
        );
        assert_eq!(
            read_line(r#"{"type":"usage","input_tokens":5}"#),
            Said::Message(AgentReport::Usage(Usage {
                input_tokens: 5,
                ..Default::default()
            }))
        );
        for bad in [
            r#"{"type":"usage","input_tokens":-1}"#,
            r#"{"type":"usage","cost_usd":-0.5}"#,
        ] {
            assert!(matches!(read_line(bad), Said::Unreadable { .. }), "{bad}");
        }
    }

    #[test]
    fn plain_text_is_output_and_broken_json_is_unreadable() {
        assert_eq!(read_line("compiling…"), Said::Plain("compiling…".into()));
        for bad in [
            r#"{"type":"progress","pct":"#,
            r#"{"type":"dance"}"#,
            r#"{"type":"blocker","id":"b","title":"t","severity":"low","options":[]}"#,
            "{garbage",
        ] {
            assert!(
                matches!(read_line(bad), Said::Unreadable { .. }),
                "{bad} is unreadable"
            );
        }
    }

    #[test]
    fn decisions_are_one_json_line() {
        assert_eq!(
            decision_line("ws-leak", 1),
            r#"{"type":"decision","blocker":"ws-leak","option":1}"#
        );
    }
}
