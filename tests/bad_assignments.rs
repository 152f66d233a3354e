//! Bad workflows, as given to the real binary: tasks that cannot be placed (a role nobody has,
//! neither agent nor role, an unknown phase, resource or blocker task), a phase after itself,
//! and tasks added during a run that depend on tasks added after them. Each is answered with
//! exit code 2 and one line, `orch-tui: FILE:LINE:COL: message`, at the mistake.

mod common;

use common::assert_says;
use common::refused::refused_at;

#[test]
fn a_task_no_agent_can_take_names_the_role_nobody_has() {
    let message = refused_at(
        r#"[workflow]
name = "roles"

[[agents]]
id = "eng1"
role = "engineer"
skills = ["backend"]

[[tasks]]
id = "A"
role = "backend"
estimate = 1

[[tasks]]
id = "B"
role = "designer"
estimate = 1
"#,
        16,
        8,
    );
    assert_says(
        &message,
        "no agent can take task `B`: no agent has role `designer`",
    );
}

#[test]
fn a_task_with_neither_agent_nor_role_says_to_add_one() {
    let message = refused_at(
        r#"[workflow]
name = "roles"

[[agents]]
id = "eng1"
role = "engineer"

[[tasks]]
id = "A"
estimate = 1
"#,
        9,
        6,
    );
    assert_says(
        &message,
        "task `A` names neither `agent` nor `role`; add one",
    );
}

#[test]
fn an_unknown_phase_resource_or_blocker_task_is_placed() {
    let text = r#"[workflow]
name = "refs"

[resources]
staging-db = 1

[[phases]]
id = "build"

[[agents]]
id = "eng1"
role = "engineer"

[[tasks]]
id = "A"
agent = "eng1"
estimate = 1
phase = "biuld"
"#;
    let message = refused_at(text, 18, 9);
    assert_says(&message, "unknown phase `biuld`; did you mean `build`?");

    let text = text.replace(r#"phase = "biuld""#, r#"resources = ["staging_db"]"#);
    let message = refused_at(&text, 18, 14);
    assert_says(
        &message,
        "unknown resource `staging_db`; did you mean `staging-db`?",
    );

    let text = text.replace(r#"resources = ["staging_db"]"#, "")
        + r#"
[[blockers]]
id = "b"
task = "a"
severity = "low"
title = "t"
options = [{ label = "go" }]
"#;
    let message = refused_at(&text, 22, 8);
    assert_says(&message, "unknown task `a`; did you mean `A`?");
}

#[test]
fn an_added_task_may_not_depend_on_one_added_after_it() {
    let message = refused_at(
        r#"[workflow]
name = "remediation"

[[agents]]
id = "eng1"
role = "engineer"

[[tasks]]
id = "A"
agent = "eng1"
estimate = 1

[[gates]]
id = "check"
after = ["A"]
outcome = "passed_with_remediation"

[[gates.remediation]]
id = "fix"
agent = "eng1"
estimate = 1
depends_on = ["retest"]

[[gates.remediation]]
id = "retest"
agent = "eng1"
estimate = 1
"#,
        22,
        15,
    );
    assert_says(
        &message,
        "task `fix` depends on `retest`, which may not exist when `fix` is added; list `retest` before it",
    );
}

#[test]
fn a_phase_after_itself_is_named_as_such() {
    let message = refused_at(
        r#"[workflow]
name = "phases"

[[phases]]
id = "build"
after = ["build"]

[[agents]]
id = "eng1"
role = "engineer"

[[tasks]]
id = "A"
agent = "eng1"
estimate = 1
phase = "build"
"#,
        6,
        10,
    );
    assert_eq!(
        message,
        "phase `build` comes after itself; remove it from `after`"
    );
}
