//! Bad workflows, as given to the real binary: a dependency graph that cannot run (cycles,
//! unknown dependencies and agents with the closest id suggested, duplicate ids, no tasks or no
//! agents). Each is answered with exit code 2 and one line, `orch-tui: FILE:LINE:COL: message`,
//! at the mistake, saying what to fix.

mod common;

use common::assert_says;
use common::refused::refused_at;

#[test]
fn a_cycle_is_named_by_its_path_at_the_first_task_of_it() {
    let message = refused_at(
        r#"[workflow]
name = "cycle"

[[agents]]
id = "eng1"
role = "engineer"

[[tasks]]
id = "A"
agent = "eng1"
estimate = 4
depends_on = ["C"]

[[tasks]]
id = "B"
agent = "eng1"
estimate = 3

[[tasks]]
id = "C"
agent = "eng1"
estimate = 5
depends_on = ["A", "B"]
"#,
        9,
        6,
    );
    assert_says(&message, "dependency cycle: A -> C -> A;");
    assert_says(&message, "remove one of these dependencies");
}

#[test]
fn a_longer_cycle_through_a_gate_is_named_in_the_order_work_flows() {
    // A needs the gate, the gate checks C, C needs A: work would flow A -> C -> check -> A.
    let message = refused_at(
        r#"[workflow]
name = "cycle"

[[agents]]
id = "eng1"
role = "engineer"

[[tasks]]
id = "A"
agent = "eng1"
estimate = 1
depends_on = ["check"]

[[tasks]]
id = "C"
agent = "eng1"
estimate = 1
depends_on = ["A"]

[[gates]]
id = "check"
after = ["C"]
"#,
        9,
        6,
    );
    assert_says(&message, "dependency cycle: A -> C -> check -> A;");
}

#[test]
fn a_task_depending_on_itself_is_a_cycle_of_one() {
    let message = refused_at(
        r#"[workflow]
name = "self"

[[agents]]
id = "eng1"
role = "engineer"

[[tasks]]
id = "A"
agent = "eng1"
estimate = 1
depends_on = ["A"]
"#,
        12,
        15,
    );
    assert_says(&message, "task `A` depends on itself: A -> A");
}

#[test]
fn an_unknown_dependency_is_placed_and_the_closest_id_suggested() {
    let message = refused_at(
        r#"[workflow]
name = "typo"

[[agents]]
id = "eng1"
role = "engineer"

[[tasks]]
id = "Dashboard"
agent = "eng1"
estimate = 5

[[tasks]]
id = "integration"
agent = "eng1"
estimate = 2
depends_on = ["Backend", "Dashbord"]

[[tasks]]
id = "Backend"
agent = "eng1"
estimate = 4
"#,
        17,
        26,
    );
    assert_says(
        &message,
        "unknown dependency `Dashbord`; did you mean `Dashboard`?",
    );
}

#[test]
fn an_unknown_dependency_far_from_every_id_lists_the_known_ones() {
    let message = refused_at(
        r#"[workflow]
name = "typo"

[[agents]]
id = "eng1"
role = "engineer"

[[tasks]]
id = "A"
agent = "eng1"
estimate = 1
depends_on = ["zzzzzz"]
"#,
        12,
        15,
    );
    assert_says(&message, "unknown dependency `zzzzzz`; known: A");
}

#[test]
fn an_unknown_agent_is_placed_and_the_closest_id_suggested() {
    let message = refused_at(
        r#"[workflow]
name = "typo"

[[agents]]
id = "eng1"
role = "engineer"

[[agents]]
id = "qa"
role = "qa"

[[tasks]]
id = "A"
agent = "egn1"
estimate = 1
"#,
        14,
        9,
    );
    assert_says(&message, "unknown agent `egn1`; did you mean `eng1`?");
}

#[test]
fn an_unknown_backup_agent_is_placed_and_the_closest_id_suggested() {
    let message = refused_at(
        r#"[workflow]
name = "typo"

[[agents]]
id = "developer"
role = "developer"
backups = ["developer-3"]

[[agents]]
id = "developer-2"
role = "developer"

[[tasks]]
id = "A"
role = "developer"
estimate = 1
"#,
        7,
        12,
    );
    assert_says(
        &message,
        "unknown backup agent `developer-3`; did you mean `developer-2`?",
    );
}

#[test]
fn a_duplicate_task_id_is_reported_where_it_repeats() {
    let message = refused_at(
        r#"[workflow]
name = "dup"

[[agents]]
id = "eng1"
role = "engineer"

[[tasks]]
id = "A"
agent = "eng1"
estimate = 1

[[tasks]]
id = "A"
agent = "eng1"
estimate = 2
"#,
        14,
        6,
    );
    assert_says(
        &message,
        "duplicate task or gate id `A`; ids must be unique",
    );
}

#[test]
fn a_gate_may_not_reuse_a_task_id() {
    let message = refused_at(
        r#"[workflow]
name = "dup"

[[agents]]
id = "eng1"
role = "engineer"

[[tasks]]
id = "review"
agent = "eng1"
estimate = 1

[[gates]]
id = "review"
after = ["review"]
"#,
        14,
        6,
    );
    assert_says(&message, "duplicate task or gate id `review`");
}

#[test]
fn a_duplicate_agent_id_is_reported_where_it_repeats() {
    let message = refused_at(
        r#"[workflow]
name = "dup"

[[agents]]
id = "eng1"
role = "engineer"

[[agents]]
id = "eng1"
role = "qa"

[[tasks]]
id = "A"
agent = "eng1"
estimate = 1
"#,
        9,
        6,
    );
    assert_says(&message, "duplicate agent id `eng1`; ids must be unique");
}

#[test]
fn a_workflow_without_tasks_is_reported_at_its_header() {
    let message = refused_at(
        r#"# Nothing to do yet.
[workflow]
name = "empty"

[[agents]]
id = "eng1"
role = "engineer"
"#,
        2,
        1,
    );
    assert_says(
        &message,
        "the workflow has no tasks; add at least one [[tasks]] table",
    );
}

#[test]
fn a_workflow_without_agents_is_reported_at_its_header() {
    let message = refused_at(
        r#"[workflow]
name = "nobody"

[[tasks]]
id = "A"
role = "engineer"
estimate = 1
"#,
        1,
        1,
    );
    assert_says(
        &message,
        "the workflow has no agents; add at least one [[agents]] table",
    );
}
