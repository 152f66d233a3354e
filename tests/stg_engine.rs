//! Plans for STG benchmark graphs hold in the real engine: a run whose durations match the
//! estimates finishes exactly when its plan says, and never before the proven lower bound.

use orch_tui::engine::{DecideMode, Engine, RunOptions, RunStatus};
use orch_tui::{stg, workflow};
use std::error::Error;
use std::path::{Path, PathBuf};
use std::sync::Arc;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// The benchmark folder: beside the repository, or where the workspace keeps it.
fn stg50() -> Result<PathBuf> {
    let beside = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/bench/stg50"
    ));
    [beside, PathBuf::from("/work/shared/bench/stg50")]
        .into_iter()
        .find(|dir| dir.join("optimal.csv").is_file())
        .ok_or_else(|| "the stg50 benchmark belongs beside the repository, in shared/bench".into())
}

/// The optimum (or proven lower bound) of `file` on `agents` processors, in minutes.
fn lower_bound(dir: &Path, file: &str, agents: usize) -> Result<u64> {
    let csv = std::fs::read_to_string(dir.join("optimal.csv"))?;
    let row = csv
        .lines()
        .map(|line| line.split(',').collect::<Vec<_>>())
        .find(|f| f.len() >= 3 && f[0] == file && f[1] == agents.to_string())
        .ok_or_else(|| format!("optimal.csv has no row for {file} on {agents}"))?;
    Ok(row[2].parse()?)
}

#[test]
fn runs_finish_when_the_plan_says() -> Result<()> {
    let dir = stg50()?;
    let options = RunOptions {
        seed: None,
        decide: DecideMode::Recommended,
        stamp_wall: false,
    };
    for file in [
        "rand0000.stg",
        "rand0064.stg",
        "rand0110.stg",
        "rand0177.stg",
    ] {
        let graph = stg::load(&dir.join(file))?;
        for agents in [2, 4, 8] {
            let text = stg::workflow_toml(&graph, agents);
            let w = workflow::parse(&text, file)?;
            let mut engine = Engine::new(Arc::new(w), &options)?;
            engine.start();
            engine.run_to_end();
            let summary = engine
                .state()
                .finished
                .clone()
                .ok_or("the run did not finish")?;
            assert_eq!(summary.status, RunStatus::Succeeded);
            assert_eq!(summary.tasks_done, 50);
            let planned = engine.plan().schedule.makespan;
            assert_eq!(summary.makespan_ms, planned, "{file} on {agents} agents");
            let minutes = summary.makespan_ms / 60_000;
            assert!(
                minutes >= lower_bound(&dir, file, agents)?,
                "{file} on {agents}"
            );
        }
    }
    Ok(())
}
