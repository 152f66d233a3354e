//! `[[settings.permissions]]`: a coding agent's permission request (a blocker of kind
//! `PERMISSION` with the tool call it asks about) is answered by the workflow's rules, first
//! match wins: allowed or denied at once, recorded as `decision_made` with `by: "rule"` and
//! written back to the process, or left to a person when a rule says `ask` or none matches. The
//! events fold back into the same state and survive the recording's JSON. Bad rules are refused
//! at their line; and a real process raising such a request through the agent protocol gets the
//! rule's answer on its stdin.

mod common;

use common::real::{run_real, workflow};
use common::refused::refused_at;
use orch_tui::engine::agent_io::{AgentReport, AgentRequest, RaisedBlocker, ToolAsk};
use orch_tui::engine::state::State;
use orch_tui::engine::{Actor, DecideMode, Engine, Event, EventBody, RunOptions};
use orch_tui::workflow::model::{BlockerReport, DecisionOption, Severity};
use std::sync::Arc;

/// Read, Grep and Glob allowed, anything containing `rm -rf` denied, Bash asked.
const RULES: &str = r#"
[[settings.permissions]]
tool = "*"
pattern = "*rm -rf*"
decision = "deny"

[[settings.permissions]]
tool = "Read"
decision = "allow"

[[settings.permissions]]
tool = "Grep"
decision = "allow"

[[settings.permissions]]
tool = "Glob"
decision = "allow"

[[settings.permissions]]
tool = "Bash"
decision = "ask"
"#;

fn text(rules: &str) -> String {
    format!(
        "[workflow]\nname = \"perm\"\nunit = \"minutes\"\n{rules}\n[[agents]]\nid = \"dev\"\nrole = \"dev\"\nkind = \"command\"\nargv = [\"./agent\"]\n\n[[tasks]]\nid = \"T\"\nagent = \"dev\"\nestimate = \"2m\"\n"
    )
}

fn started(rules: &str, decide: DecideMode) -> Engine {
    let options = RunOptions {
        seed: None,
        decide,
        stamp_wall: false,
    };
    let mut engine =
        Engine::new(Arc::new(common::parse(&text(rules))), &options).expect("the workflow plans");
    engine.start();
    engine.take_requests();
    engine
}

fn request(id: &str, tool: &str, input: &str) -> AgentReport {
    let option = |label: &str| DecisionOption {
        label: label.into(),
        pros: String::new(),
        cons: String::new(),
        timeline: String::new(),
        resources: String::new(),
        effect: Default::default(),
    };
    AgentReport::Blocker(Box::new(RaisedBlocker {
        id: id.into(),
        report: BlockerReport {
            kind: "PERMISSION".into(),
            severity: Severity::High,
            category: "PERMISSION".into(),
            title: format!("{tool}: {input}"),
            issue: String::new(),
            impact: String::new(),
            options: vec![
                option("Allow once"),
                option("Allow for the rest of this task"),
                option("Deny"),
            ],
            recommended: 1,
        },
        permission: Some(ToolAsk {
            tool: tool.into(),
            input: input.into(),
        }),
    }))
}

/// (option, by) of every decision in `events`.
fn decisions(events: &[Event]) -> Vec<(usize, Actor)> {
    events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::DecisionMade { option, by, .. } => Some((*option, *by)),
            _ => None,
        })
        .collect()
}

fn written_back(engine: &mut Engine) -> Vec<(String, usize)> {
    engine
        .take_requests()
        .into_iter()
        .filter_map(|r| match r {
            AgentRequest::Decide {
                blocker, option, ..
            } => Some((blocker, option)),
            _ => None,
        })
        .collect()
}

#[test]
fn an_allowed_tool_is_allowed_once_at_once_by_rule() {
    let mut engine = started(RULES, DecideMode::Person);
    assert!(engine.report("T", 1, request("ask-1", "Read", "src/lib.rs")));
    let events = engine.drain();
    assert_eq!(decisions(&events), [(1, Actor::Rule)]);
    let raised = events
        .iter()
        .find(|e| e.body.kind() == "blocker_raised")
        .expect("raised");
    let line = serde_json::to_string(raised).expect("serializes");
    assert!(line.contains(r#""decides":"rule""#), "{line}");
    assert_eq!(written_back(&mut engine), [("ask-1".to_string(), 1)]);
    assert_eq!(engine.state().open_blockers().count(), 0);
}

#[test]
fn a_request_matching_a_deny_rule_is_denied_whatever_the_tool() {
    let mut engine = started(RULES, DecideMode::Person);
    engine.report("T", 1, request("ask-1", "Bash", "cd /tmp && rm -rf build"));
    assert_eq!(decisions(&engine.drain()), [(3, Actor::Rule)]);
    assert_eq!(written_back(&mut engine), [("ask-1".to_string(), 3)]);
}

#[test]
fn ask_and_no_matching_rule_wait_for_a_person() {
    for (rules, tool) in [(RULES, "Bash"), (RULES, "Write"), ("", "Read")] {
        let mut engine = started(rules, DecideMode::Person);
        engine.report("T", 1, request("ask-1", tool, "cargo test"));
        let events = engine.drain();
        assert_eq!(decisions(&events), [], "{tool} with rules {rules:?}");
        assert_eq!(engine.state().open_blockers().count(), 1);
        assert!(written_back(&mut engine).is_empty());
        engine
            .decide("ask-1", 2, Actor::User)
            .expect("a person decides");
        assert_eq!(written_back(&mut engine), [("ask-1".to_string(), 2)]);
    }
}

#[test]
fn a_rule_comes_before_the_headless_decision_mode() {
    let mut engine = started(RULES, DecideMode::Recommended);
    engine.report("T", 1, request("ask-1", "Bash", "rm -rf /"));
    assert_eq!(decisions(&engine.drain()), [(3, Actor::Rule)]);
}

#[test]
fn rule_decisions_fold_back_and_read_back_from_the_recording_format() {
    let mut engine = started(RULES, DecideMode::Person);
    engine.report("T", 1, request("ask-1", "Grep", "TODO"));
    engine.report("T", 1, request("ask-2", "Glob", "*.rs"));
    let workflow = engine.state().workflow.clone();
    let mut folded = State::new(workflow);
    let recorded: Vec<Event> = engine
        .drain()
        .iter()
        .map(|e| {
            let line = serde_json::to_string(e).expect("serializes");
            Event::from_line(&line).expect("reads back")
        })
        .collect();
    assert_eq!(decisions(&recorded), [(1, Actor::Rule), (1, Actor::Rule)]);
    for e in &recorded {
        folded.apply(e).expect("folds");
    }
    let by: Vec<_> = folded
        .blockers
        .iter()
        .map(|b| b.decision.as_ref().map(|d| (d.option, d.by)))
        .collect();
    assert_eq!(by, [Some((1, Actor::Rule)), Some((1, Actor::Rule))]);
}

#[test]
fn a_rule_with_an_unknown_decision_is_refused_at_its_line() {
    let rules = "\n[[settings.permissions]]\ntool = \"Bash\"\ndecision = \"maybe\"\n";
    let message = refused_at(&text(rules), 7, 12);
    assert_eq!(
        message,
        "`decision` is \"allow\", \"deny\" or \"ask\", not \"maybe\""
    );
    let rules = "\n[[settings.permissions]]\ntool = \"\"\ndecision = \"deny\"\n";
    let message = refused_at(&text(rules), 6, 8);
    assert_eq!(
        message,
        "`tool` is empty; name a tool such as \"Bash\", or \"*\" for any"
    );
}

/// A command agent that asks to run `command` with Bash through the agent protocol, then
/// writes the option it was given to `answer`.
fn asking(command: &str) -> String {
    let program = format!(
        r#"read -r ctx; echo '{{"type":"blocker","id":"perm","kind":"PERMISSION","title":"Bash","severity":"high","tool":"Bash","input":"{command}","options":[{{"label":"Allow once"}},{{"label":"Allow for the rest of this task"}},{{"label":"Deny"}}]}}'; read -r decision; echo "$decision" > answer; echo '{{"type":"result","summary":"asked"}}'"#
    );
    let program = program.replace('\\', "\\\\").replace('"', "\\\"");
    format!(
        "[[agents]]\nid = \"dev\"\nrole = \"dev\"\nkind = \"command\"\nargv = [\"bash\", \"-c\", \"{program}\"]\nenv = [\"PATH\"]\n\n[[tasks]]\nid = \"T\"\nagent = \"dev\"\nestimate = \"1s\"\n"
    )
}

#[test]
fn a_process_asking_through_the_protocol_gets_the_rules_answer() {
    let text = workflow(&format!("{RULES}\n{}", asking("rm -rf build")));
    let run = run_real(&text, &[], &[]);
    assert_eq!(
        run.status(),
        "succeeded",
        "{}\n{}",
        run.out.stdout,
        run.out.stderr
    );
    let answer: serde_json::Value =
        serde_json::from_str(run.read("answer").trim()).expect("a decision line");
    assert_eq!(answer["option"], 3);
    assert_eq!(answer["blocker"], "perm");
    let decided = run.events("decision_made");
    assert_eq!(decided.len(), 1);
    assert_eq!(decided[0]["option"], 3);
    assert_eq!(decided[0]["by"], "rule");
    assert_eq!(run.events("blocker_raised")[0]["decides"], "rule");
}
