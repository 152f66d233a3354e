//! The helpers that fit orch-tui into a shell, through the real binary: completion scripts for
//! bash, zsh and fish, the man page, `--version` naming the recording format, and `init`
//! writing a starter workflow that validates and runs headless as written.

mod common;

use common::{orch_tui, stderr, stdout};
use std::process::Output;

const SUBCOMMANDS: [&str; 7] = [
    "run",
    "plan",
    "validate",
    "init",
    "schema",
    "completions",
    "man",
];

fn run(args: &[&str]) -> Output {
    orch_tui().args(args).output().expect("the binary runs")
}

#[test]
fn completion_scripts_generate_for_each_shell_and_know_every_subcommand() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef orch-tui"),
        ("fish", "complete -c orch-tui"),
    ] {
        let out = run(&["completions", shell]);
        assert!(out.status.success(), "{shell}: {}", stderr(&out));
        let script = stdout(&out);
        assert!(script.contains(marker), "{shell} script lacks {marker:?}");
        for sub in SUBCOMMANDS {
            assert!(script.contains(sub), "{shell} script lacks `{sub}`");
        }
    }
}

#[test]
fn the_bash_script_is_valid_bash() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("orch-tui.bash");
    std::fs::write(&file, run(&["completions", "bash"]).stdout).expect("written");
    let check = std::process::Command::new("bash")
        .arg("-n")
        .arg(&file)
        .output()
        .expect("bash runs");
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn an_unknown_shell_is_refused_with_the_known_ones() {
    let out = run(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("bash"), "{}", stderr(&out));
}

#[test]
fn the_man_page_renders() {
    let out = run(&["man"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = stdout(&out);
    assert!(page.contains(".TH orch-tui 1"), "{page}");
    assert!(page.contains(".SH SUBCOMMANDS"), "{page}");
    assert!(
        page.contains(&format!("recording format v{}", orch_tui::record::VERSION)),
        "the version is in the page"
    );
    for sub in SUBCOMMANDS {
        assert!(
            page.contains(&format!("orch\\-tui\\-{sub}(1)")),
            "the page lists `{sub}`"
        );
    }
    assert!(
        !page.contains("orch\\-tui\\-help(1)"),
        "no page is named that is not written"
    );
}

#[test]
fn man_dir_writes_a_page_for_every_subcommand() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let pages = dir.path().join("man1");
    let out = run(&["man", "--dir", &pages.display().to_string()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut names = vec!["orch-tui.1".to_string()];
    names.extend(SUBCOMMANDS.map(|s| format!("orch-tui-{s}.1")));
    for name in names {
        let page = std::fs::read_to_string(pages.join(&name)).expect("the page is written");
        assert!(page.contains(".TH "), "{name}");
    }
    let run_page = std::fs::read_to_string(pages.join("orch-tui-run.1")).expect("written");
    assert!(run_page.contains("\\-\\-headless"), "{run_page}");
    assert!(!pages.join("orch-tui-help.1").exists(), "help is no page");
}

/// Where `man` is installed, the page also formats cleanly; elsewhere this checks nothing more.
#[test]
fn the_man_page_formats_with_man_where_it_is_installed() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("orch-tui.1");
    std::fs::write(&file, run(&["man"]).stdout).expect("written");
    let Ok(formatted) = std::process::Command::new("man")
        .arg("-l")
        .arg(&file)
        .env("MANWIDTH", "80")
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .output()
    else {
        return;
    };
    if !formatted.status.success() {
        return;
    }
    let text = stdout(&formatted);
    assert!(text.contains("NAME"), "{text}");
    assert!(text.contains("SUBCOMMANDS"), "{text}");
    assert!(text.contains("orch-tui-validate(1)"), "{text}");
}

#[test]
fn the_version_names_the_recording_format() {
    let out = run(&["--version"]);
    assert!(out.status.success());
    let line = stdout(&out);
    assert!(
        line.contains(&format!("recording format v{}", orch_tui::record::VERSION)),
        "{line}"
    );
    assert!(line.contains(env!("CARGO_PKG_VERSION")), "{line}");
}

#[test]
fn init_writes_a_starter_that_validates_and_runs_headless() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let init = orch_tui()
        .arg("init")
        .current_dir(dir.path())
        .output()
        .expect("init runs");
    assert!(init.status.success(), "{}", stderr(&init));
    assert!(
        stdout(&init).contains("Wrote workflow.toml"),
        "{}",
        stdout(&init)
    );
    let file = dir.path().join("workflow.toml");
    let text = std::fs::read_to_string(&file).expect("init wrote workflow.toml");
    assert!(
        text.lines().filter(|l| l.starts_with('#')).count() > 10,
        "it is commented"
    );

    let validate = orch_tui()
        .args(["validate", "--json", "workflow.toml"])
        .current_dir(dir.path())
        .output()
        .expect("validate runs");
    assert!(validate.status.success(), "{}", stdout(&validate));
    let summary: serde_json::Value =
        serde_json::from_slice(&validate.stdout).expect("validate --json prints JSON");
    assert_eq!(summary["ok"], true);
    assert_eq!(summary["workflow"], "workflow");
    assert_eq!(
        (&summary["agents"], &summary["tasks"], &summary["blockers"]),
        (&2.into(), &3.into(), &1.into())
    );

    let headless = orch_tui()
        .args([
            "run",
            "--headless",
            "--instant",
            "--no-record",
            "workflow.toml",
        ])
        .current_dir(dir.path())
        .output()
        .expect("the run runs");
    let lines = stdout(&headless);
    assert_eq!(
        headless.status.code(),
        Some(0),
        "{lines}{}",
        stderr(&headless)
    );
    assert!(
        lines.contains("flaky-api"),
        "the blocker is raised and decided:\n{lines}"
    );
}

#[test]
fn init_takes_a_name_and_never_overwrites() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let init = |name: &str| {
        orch_tui()
            .args(["init", name])
            .current_dir(dir.path())
            .output()
            .expect("init runs")
    };
    assert!(init("release-plan").status.success());
    let file = dir.path().join("release-plan.toml");
    let written = std::fs::read_to_string(&file).expect("init wrote release-plan.toml");
    assert!(written.contains("name = \"release-plan\""));

    std::fs::write(&file, "# mine\n").expect("the file is replaced by the user's own");
    let again = init("release-plan.toml");
    assert_eq!(again.status.code(), Some(2));
    let message = stderr(&again);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(
        message.starts_with("orch-tui: release-plan.toml: already exists"),
        "{message}"
    );
    assert_eq!(
        std::fs::read_to_string(&file).expect("still there"),
        "# mine\n"
    );
}
