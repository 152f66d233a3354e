//! What each subcommand does, returning the process exit code: 0 ok, 1 the run failed, 2 bad
//! input, 3 the run waits for a decision.

use crate::cli::{ImportStgArgs, PlanArgs, PlanFormat, RunArgs, ValidateArgs};
use crate::engine::{DecideMode, Engine, RunOptions};
use crate::error::InputError;
use crate::headless::{self, Output, Pace};
use crate::plan::report::PlanReport;
use crate::plan::{Problem, best_plan};
use crate::record::{Header, Recorder};
use crate::stg;
use crate::workflow::{self, Workflow};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A failure that ends the command, with its exit code.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error("{0}")]
    Input(#[from] InputError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Other(String),
}

impl CommandError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CommandError::Input(_) => 2,
            CommandError::Io(_) | CommandError::Other(_) => 1,
        }
    }
}

pub type Result<T> = std::result::Result<T, CommandError>;

/// Loads the named workflow, or the built-in one.
pub fn load_workflow(file: Option<&Path>) -> Result<Workflow> {
    Ok(match file {
        Some(path) => workflow::load(path)?,
        None => workflow::parse(workflow::BUILT_IN, workflow::BUILT_IN_NAME)?,
    })
}

pub fn validate(args: &ValidateArgs, out: &mut dyn Write) -> Result<u8> {
    let label = args.file.display().to_string();
    match workflow::load(&args.file) {
        Ok(w) => {
            let problem = Problem::from_workflow(&Arc::new(w.clone()));
            let plan = best_plan(&problem).ok_or_else(|| {
                CommandError::Input(InputError::new(&label, "no schedule can run every task"))
            })?;
            let report = PlanReport::new(&w, &problem, &plan);
            if args.json {
                let value = serde_json::json!({
                    "ok": true, "file": label, "workflow": w.name, "tasks": w.tasks.len(),
                    "agents": w.agents.len(), "blockers": w.blockers.len(), "gates": w.gates.len(),
                    "critical_path_ms": report.critical_path_ms, "estimated_makespan_ms": report.makespan_ms,
                });
                writeln!(out, "{value}")?;
            } else {
                writeln!(
                    out,
                    "{label}: ok — {} tasks, {} agents, {} blockers, {} gates; critical path {}, estimated makespan {}",
                    w.tasks.len(),
                    w.agents.len(),
                    w.blockers.len(),
                    w.gates.len(),
                    w.unit.format(report.critical_path_ms),
                    w.unit.format(report.makespan_ms)
                )?;
            }
            Ok(0)
        }
        Err(e) if args.json => {
            let value = serde_json::json!({
                "ok": false, "file": e.file, "line": e.position.map(|p| p.0),
                "column": e.position.map(|p| p.1), "message": e.message,
            });
            writeln!(out, "{value}")?;
            Ok(2)
        }
        Err(e) => Err(e.into()),
    }
}

pub fn plan(args: &PlanArgs, out: &mut dyn Write) -> Result<u8> {
    let w = workflow::load(&args.file)?;
    let problem = Problem::from_workflow(&Arc::new(w.clone()));
    let plan = best_plan(&problem)
        .ok_or_else(|| CommandError::Other("no schedule can run every task".into()))?;
    let report = PlanReport::new(&w, &problem, &plan);
    match args.chosen_format() {
        PlanFormat::Text => write!(out, "{}", report.text(&w))?,
        PlanFormat::Json => writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        )?,
        PlanFormat::Dot => write!(out, "{}", report.dot(&w, &problem))?,
        PlanFormat::Mermaid => write!(out, "{}", report.mermaid(&w, &problem))?,
    }
    Ok(0)
}

/// Prints the workflow of an STG file.
pub fn import_stg(args: &ImportStgArgs, out: &mut dyn Write) -> Result<u8> {
    let graph = stg::load(&args.file)?;
    write!(out, "{}", stg::workflow_toml(&graph, args.agents as usize))?;
    Ok(0)
}

/// A headless run, recorded unless asked not to.
pub fn run_headless(args: &RunArgs, out: &mut dyn Write) -> Result<u8> {
    let w = load_workflow(args.file.as_deref())?;
    let decide = match args.decide {
        Some(DecideMode::Person) => {
            return Err(CommandError::Other("--decide person needs the dashboard; drop --headless or use recommended, first or none".into()));
        }
        Some(mode) => mode,
        None => DecideMode::Recommended,
    };
    let options = RunOptions {
        seed: args.seed,
        decide,
        stamp_wall: true,
    };
    let mut engine = Engine::new(Arc::new(w.clone()), &options).map_err(CommandError::Other)?;
    let mut recorder = open_recorder(args, &w, engine.seed(), decide)?;
    let pace = Pace {
        instant: args.instant,
        speed: args.speed.unwrap_or(1.0),
    };
    let output = if args.json {
        Output::Json
    } else {
        Output::Lines
    };
    let status = headless::run(&mut engine, &pace, recorder.as_mut(), output, out)?;
    if let Some(r) = &recorder {
        if output == Output::Lines {
            writeln!(out, "Recorded to {}", r.path().display())?;
        } else {
            eprintln!("Recorded to {}", r.path().display());
        }
    }
    if status == crate::engine::RunStatus::AwaitingDecision
        && let Some(b) = engine.state().open_blockers().next()
    {
        eprintln!(
            "orch-tui: stopped at blocker `{}` on task `{}`: it needs a person; run with --decide recommended, or open the dashboard",
            b.id,
            engine.state().nodes[b.task].task.id
        );
    }
    Ok(status.exit_code() as u8)
}

/// The recorder for a run, unless `--no-record`.
pub fn open_recorder(
    args: &RunArgs,
    w: &Workflow,
    seed: u64,
    decide: DecideMode,
) -> Result<Option<Recorder>> {
    if args.no_record {
        return Ok(None);
    }
    let path: PathBuf = args
        .record
        .clone()
        .unwrap_or_else(|| Recorder::default_path(&w.name));
    let header = Header::new(w.clone(), seed, decide);
    Recorder::create(&path, &header).map(Some).map_err(|e| {
        CommandError::Other(format!(
            "{}: cannot write the recording: {e}",
            path.display()
        ))
    })
}
