//! What each subcommand does, returning the process exit code: 0 ok, 1 the run failed, 2 bad
//! input, 3 the run waits for a decision.

use crate::cli::{
    Cli, ExportFormat, ImportStgArgs, InitArgs, ManArgs, PlanArgs, PlanFormat, ReplayArgs, RunArgs,
    ValidateArgs,
};
use crate::command_error::{CommandError, Result};
use crate::config::UserConfig;
use crate::engine::{DecideMode, Engine, RunOptions};
use crate::error::InputError;
use crate::headless::{self, Output};
use crate::launch::{check_wall_clock, dashboard, load_workflow, require_terminal};
use crate::plan::report::PlanReport;
use crate::plan::{Problem, best_plan};
use crate::record::{Header, Recorder};
use crate::run::clock::{self, Clock};
use crate::run::control;
use crate::run::session::Session;
use crate::run::wire::RunInfo;
use crate::sanitise::{self, Sanitised};
use crate::stg;
use crate::ui::attached::Ending;
use crate::workflow::{self, Workflow};
use clap::CommandFactory;
use clap_complete::Shell;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub fn validate(args: &ValidateArgs, out: &mut dyn Write) -> Result<u8> {
    let label = args.file.display().to_string();
    let checked = workflow::load(&args.file)
        .and_then(|w| crate::agents::installed::check_clis(&w, &label).map(|()| w));
    match checked {
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
                writeln!(out, "{}", sanitise::json_line(&value))?;
            } else {
                writeln!(
                    Sanitised::new(out),
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
            writeln!(out, "{}", sanitise::json_line(&value))?;
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
        PlanFormat::Text => write!(Sanitised::new(out), "{}", report.text(&w))?,
        PlanFormat::Json => writeln!(out, "{}", sanitise::json(&report))?,
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

/// The speed that plays the whole planned run in about 40 seconds.
fn default_speed(engine: &Engine) -> f64 {
    clock::speed_for(
        engine.plan().schedule.makespan,
        engine.state().workflow.unit,
    )
}

/// A run: the dashboard, or a headless run with `--headless`. The user config gives the
/// defaults that flags leave open.
pub fn run(args: &RunArgs, out: &mut dyn Write) -> Result<u8> {
    let config = UserConfig::load()?;
    // Running instantly or printing JSON only makes sense without the dashboard.
    if args.detach {
        return crate::detach::start(args, &config, out);
    }
    if args.headless || args.instant || args.json {
        return run_headless(args, &config, out);
    }
    let w = load_workflow(args.file.as_deref())?;
    require_terminal("run", "--headless")?;
    let mut started = crate::detach::spawn(args, &config, &w)?;
    let _ = color_eyre::install();
    let mut app = dashboard(&config, false);
    app.detach_on_hangup = args.detach_on_hangup;
    // With --detach-on-hangup the dashboard does not own its run: however it goes, short of
    // stopping the run, the run goes on.
    let owns = !args.detach_on_hangup;
    let owned = crate::attach::own(&started.socket, app, owns);
    // Unless the person detached it, the run ends with its dashboard: it was asked to stop, or
    // stops as its owner left; a dashboard that failed stops it as Ctrl-C would. Its end is
    // recorded and its agents gone before this returns.
    match &owned {
        Ok((Ending::Detached, _)) => {}
        Err(_) if !owns => {}
        Ok(_) => {
            let _ = started.process.wait();
        }
        Err(_) => {
            let pid = nix::unistd::Pid::from_raw(started.process.id() as i32);
            let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM);
            let _ = started.process.wait();
        }
    }
    let (ending, info) = owned?;
    let out = &mut Sanitised::new(out);
    match ending {
        Ending::Detached => {
            let id = &info.id;
            writeln!(
                out,
                "Run {id} goes on in the background: `orch-tui attach {id}` comes back, `orch-tui stop {id}` stops it."
            )?;
            Ok(0)
        }
        Ending::RunEnded(status) => {
            if let Some(recording) = &info.recording {
                writeln!(out, "Recorded to {recording}")?;
            }
            Ok(status.exit_code() as u8)
        }
        Ending::Lost(why) => Err(CommandError::Other(why)),
    }
}

/// A headless run, recorded unless asked not to.
pub fn run_headless(args: &RunArgs, config: &UserConfig, out: &mut dyn Write) -> Result<u8> {
    let w = load_workflow(args.file.as_deref())?;
    check_wall_clock(args, &w)?;
    let decide = args
        .decide
        .or(config.decide)
        .unwrap_or(DecideMode::Recommended);
    if decide == DecideMode::Person && args.instant {
        return Err(CommandError::Usage(
            "--decide person waits for a person, and --instant runs without waiting; drop one"
                .into(),
        ));
    }
    let options = RunOptions {
        seed: args.seed,
        decide,
        stamp_wall: true,
    };
    // One copy of the workflow for the engine; the recording's header makes its own only when
    // there is one, and the control socket's only when the run can be reached.
    let w = Arc::new(w);
    let engine = Engine::new(w.clone(), &options).map_err(CommandError::Other)?;
    let recorder = open_recorder(args, config, &w, engine.seed(), decide)?;
    let recorded_to = recorder.as_ref().map(|r| r.path().to_path_buf());
    let unit_ms = w.unit.ms();
    let clock = match args.instant {
        true => Clock::instant(unit_ms),
        false => Clock::new(
            unit_ms,
            args.speed.unwrap_or_else(|| default_speed(&engine)),
        ),
    };
    let doorbell = headless::doorbell();
    let bell = doorbell.clone();
    let seed = engine.seed();
    let mut session = Session::new(engine, recorder, clock, Arc::new(move || bell.ring()))?;
    // An instant run ends before anyone could reach it; a run that waits for a person must
    // be reachable.
    if !args.instant {
        let header = Header::new((*w).clone(), seed, decide);
        match open_control(&mut session, args, &header, recorded_to.as_deref()) {
            Ok(id) if decide == DecideMode::Person => sanitise::to_stderr(&format!(
                "orch-tui: run {id}: blockers wait for `orch-tui decide {id} BLOCKER OPTION`"
            )),
            Ok(_) => {}
            Err(e) if decide == DecideMode::Person => {
                return Err(CommandError::Other(format!(
                    "{e}; --decide person needs it to take decisions"
                )));
            }
            Err(e) => sanitise::to_stderr(&format!("orch-tui: warning: {e}")),
        }
    }
    let output = if args.json {
        Output::Json
    } else {
        Output::Lines
    };
    // Lines are for a person's terminal; the JSON summary keeps its text exact.
    let mut lines;
    let out: &mut dyn Write = match output {
        Output::Lines => {
            lines = Sanitised::new(out);
            &mut lines
        }
        Output::Json => out,
    };
    let status = headless::run(&mut session, &doorbell, !args.background, output, out)?;
    if let Some(path) = &recorded_to {
        let recorded = format!("Recorded to {}", path.display());
        if output == Output::Lines {
            writeln!(out, "{recorded}")?;
        } else {
            sanitise::to_stderr(&recorded);
        }
    }
    if status == crate::engine::RunStatus::AwaitingDecision
        && let Some(b) = session.state().open_blockers().next()
    {
        let message = format!(
            "orch-tui: stopped at blocker `{}` on task `{}`: it needs a person; run with --decide recommended, or open the dashboard",
            b.id,
            session.state().nodes[b.task].task.id
        );
        sanitise::to_stderr(&message);
    }
    Ok(status.exit_code() as u8)
}

/// Opens the run's control socket under its id (`--run-id`, or a new one). Returns the id.
fn open_control(
    session: &mut Session,
    args: &RunArgs,
    header: &Header,
    recording: Option<&Path>,
) -> std::result::Result<String, String> {
    let name = &header.workflow.name;
    let id = args
        .run_id
        .clone()
        .unwrap_or_else(|| control::new_run_id(name));
    let info = RunInfo {
        id: id.clone(),
        workflow: name.clone(),
        file: args.file.as_ref().map(|f| f.display().to_string()),
        recording: recording.map(|r| r.display().to_string()),
        pid: std::process::id(),
        started_at: header.started_at.clone(),
    };
    session
        .serve(info, header)
        .map(|_| id)
        .map_err(|e| format!("cannot open the run's control socket: {e}"))
}

/// The recorder for a run, unless `--no-record`.
pub fn open_recorder(
    args: &RunArgs,
    config: &UserConfig,
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
        .unwrap_or_else(|| Recorder::default_path(config.recordings.as_deref(), &w.name));
    let header = Header::new(w.clone(), seed, decide);
    Recorder::create(&path, &header)
        .map(Some)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::ResourceBusy => CommandError::Usage(format!(
                "{}: {e}; record this run elsewhere with --record PATH",
                path.display()
            )),
            _ => CommandError::Other(format!(
                "{}: cannot write the recording: {e}",
                path.display()
            )),
        })
}

/// Replays a recording: the dashboard, or with flags its timeline, its state at a time, a
/// verification or a CSV export. Never runs anything the recording names.
pub fn replay(args: &ReplayArgs, out: &mut dyn Write) -> Result<u8> {
    use crate::record::{inspect, player::Player, read_recording, verify};
    let label = args.file.display().to_string();
    let recording = read_recording(&args.file)?;
    for warning in &recording.warnings {
        sanitise::to_stderr(&format!("orch-tui: warning: {warning}"));
    }
    if args.verify && recording.header.workflow.has_command_agents() {
        return Err(CommandError::Input(InputError::new(
            &label,
            "recorded with command agents, whose real processes cannot be re-run; --verify checks simulated runs only",
        )));
    }
    if args.verify {
        let out = &mut Sanitised::new(out);
        return Ok(
            match verify::verify(&recording).map_err(CommandError::Other)? {
                verify::Verdict::Reproduced { events } => {
                    writeln!(
                        out,
                        "{label}: reproduced: the re-run gives the same {events} events"
                    )?;
                    0
                }
                verify::Verdict::Differs {
                    seq,
                    recorded,
                    rerun,
                } => {
                    let show = |e: &Option<Box<crate::engine::Event>>| {
                        e.as_ref().map_or("(nothing)".to_string(), |e| {
                            serde_json::to_string(e).unwrap_or_default()
                        })
                    };
                    writeln!(out, "{label}:{}: differs at event {seq}", seq + 1)?;
                    writeln!(out, "  recorded: {}", show(&recorded))?;
                    writeln!(out, "  re-run:   {}", show(&rerun))?;
                    1
                }
            },
        );
    }
    let mut player = Player::new(recording, &label)?;
    if let Some(ExportFormat::Csv) = args.export {
        player.seek(player.len());
        inspect::export_csv(player.state(), out)
            .map_err(|e| CommandError::Other(format!("cannot write the CSV: {e}")))?;
        return Ok(0);
    }
    if let Some(text) = &args.at {
        let unit = player.recording.header.workflow.unit;
        let at = crate::time::parse_duration(text, unit)
            .map_err(|e| CommandError::Input(InputError::new("--at", e.to_string())))?;
        player.seek_time(at);
        let snapshot = inspect::snapshot(player.state(), at);
        if args.json {
            writeln!(out, "{}", sanitise::json(&snapshot))?;
        } else {
            inspect::snapshot_text(player.state(), &snapshot, &mut Sanitised::new(out))?;
        }
        return Ok(0);
    }
    if args.headless {
        if args.json {
            player.seek(player.len());
            let summary = player.state().finished.as_ref();
            writeln!(out, "{}", sanitise::json(&summary))?;
        } else {
            inspect::timeline(&mut player, &mut Sanitised::new(out))?;
        }
        return Ok(0);
    }
    require_terminal("replay", "--headless")?;
    let app = dashboard(&UserConfig::load()?, true);
    let _ = color_eyre::install();
    crate::ui::replay::run(player, app)?;
    Ok(0)
}

/// `init`: writes the starter workflow and says what to try next.
pub fn init(args: &InitArgs, out: &mut dyn Write) -> Result<u8> {
    let file = crate::starter::starter_file(&args.name);
    crate::starter::write_starter(&file)?;
    let shown = file.display();
    writeln!(
        Sanitised::new(out),
        "Wrote {shown}: a starter workflow. Try `orch-tui validate {shown}`, then `orch-tui {shown}`."
    )?;
    Ok(0)
}

/// `schema`: the JSON Schema of workflow files.
pub fn schema(out: &mut dyn Write) -> Result<u8> {
    serde_json::to_writer_pretty(&mut *out, &workflow::file::json_schema())
        .map_err(std::io::Error::from)?;
    writeln!(out)?;
    Ok(0)
}

/// `completions SHELL`: the shell's completion script.
pub fn completions(shell: Shell, out: &mut dyn Write) -> Result<u8> {
    clap_complete::generate(shell, &mut Cli::command(), "orch-tui", out);
    Ok(0)
}

/// `man`: the man page in roff, or with `--dir` one page per subcommand written to a folder.
pub fn man(args: &ManArgs, out: &mut dyn Write) -> Result<u8> {
    // `help` is no page of its own: the pages are the help.
    let command = Cli::command().disable_help_subcommand(true);
    match &args.dir {
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            clap_mangen::generate_to(command, dir)?;
            writeln!(out, "Wrote the man pages to {}", dir.display())?;
        }
        None => clap_mangen::Man::new(command).render(out)?,
    }
    Ok(0)
}
