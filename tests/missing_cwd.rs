//! A command agent's working directory that is not there: `validate` (and so `run`) refuses the
//! workflow at the `cwd` line, naming the folder; one that disappears after the run started
//! fails the attempt saying the folder is missing, not that the program cannot start.

mod common;

use common::real::{bash_agent, run_real, workflow};
use common::{assert_says, orch};

#[test]
fn validate_names_a_missing_cwd_at_its_line() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("w.toml");
    let text = workflow(&format!(
        "{}[[tasks]]\nid = \"T\"\nrole = \"maker\"\nestimate = 1\n",
        bash_agent("maker", "true", "cwd = \"nowhere\"")
    ));
    std::fs::write(&file, text).expect("written");
    let out = orch(["validate".as_ref(), file.as_os_str()]);
    out.assert_no_panic();
    assert_eq!(
        out.code, 2,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    let missing = dir.path().join("nowhere");
    assert_says(
        &out.stderr,
        &format!(
            "w.toml:11:7: `cwd` folder {} does not exist",
            missing.display()
        ),
    );
    assert_eq!(out.stderr.trim().lines().count(), 1, "{}", out.stderr);
}

#[test]
fn an_attempt_whose_cwd_was_removed_names_the_folder() {
    let gone = tempfile::tempdir().expect("a temporary folder");
    let path = gone.path().display().to_string();
    let text = workflow(&format!(
        "{}{}[[tasks]]\nid = \"clear\"\nrole = \"cleaner\"\nestimate = 1\n\n[[tasks]]\nid = \"use\"\nrole = \"user\"\nestimate = 1\ndepends_on = [\"clear\"]\n",
        bash_agent(
            "cleaner",
            &format!("rmdir '{path}'; echo '{{\"type\":\"result\",\"summary\":\"cleared\"}}'"),
            ""
        ),
        bash_agent("user", "true", &format!("cwd = \"{path}\"")),
    ));
    let run = run_real(&text, &[], &[]);
    let failed = run.events("task_failed");
    let reasons: Vec<&str> = failed.iter().filter_map(|e| e["reason"].as_str()).collect();
    assert!(!reasons.is_empty(), "stdout:\n{}", run.out.stdout);
    for reason in reasons {
        assert_eq!(
            reason,
            format!("cannot start `bash`: its working directory {path} does not exist")
        );
    }
}
