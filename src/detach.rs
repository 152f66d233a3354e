//! Runs in the background. `orch-tui run FILE --detach` checks the workflow here, where a
//! mistake can still be told, then starts the same run as a headless process of its own
//! session (no terminal, SIGHUP ignored, output in `RUN.log` in the run folder), waits until
//! its control socket answers, and prints its id; the run lives until it ends or `orch-tui
//! stop` stops it. The dashboard starts its run the same way and attaches to it as its owner.

use crate::cli::RunArgs;
use crate::command_error::{CommandError, Result};
use crate::config::UserConfig;
use crate::engine::DecideMode;
use crate::launch::{check_wall_clock, load_workflow};
use crate::run::control::{RunEntry, new_run_id, run_folder, socket_path};
use crate::sanitise::Sanitised;
use crate::workflow::model::Workflow;
use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long the background run may take to open its socket.
const START_TIMEOUT: Duration = Duration::from_secs(20);

/// A run started in the background.
pub struct Started {
    pub id: String,
    pub socket: PathBuf,
    /// The run's process, which this one may wait for.
    pub process: std::process::Child,
}

/// Starts the run in the background and prints its id.
pub fn start(args: &RunArgs, config: &UserConfig, out: &mut dyn Write) -> Result<u8> {
    let workflow = load_workflow(args.file.as_deref())?;
    let started = spawn(args, config, &workflow)?;
    let id = started.id;
    writeln!(Sanitised::new(out), "{id}")?;
    crate::sanitise::to_stderr(&format!(
        "orch-tui: run {id} goes on in the background: `orch-tui attach {id}`, `orch-tui status {id}`, `orch-tui decide {id} BLOCKER OPTION`, `orch-tui stop {id}`"
    ));
    Ok(0)
}

/// Starts the run of `args` as a background process and waits until its socket answers. A run
/// that ends at once (a recording another run holds, say) is reported with what it said.
pub fn spawn(args: &RunArgs, config: &UserConfig, workflow: &Workflow) -> Result<Started> {
    check_wall_clock(args, workflow)?;
    let id = new_run_id(&workflow.name);
    let dir = run_folder()?;
    let socket = socket_path(&dir, &id)?;
    let log_path = dir.join(format!("{id}.log"));
    let log = std::fs::File::create(&log_path)
        .map_err(|e| CommandError::Other(format!("{}: {e}", log_path.display())))?;
    let mut command = Command::new(std::env::current_exe()?);
    command.arg("run");
    if let Some(file) = &args.file {
        command.arg(std::path::absolute(file)?);
    }
    let decide = args.decide.or(config.decide).unwrap_or(DecideMode::Person);
    command
        .args(["--headless", "--background", "--run-id", &id, "--decide"])
        .arg(decide_flag(decide));
    if let Some(speed) = args.speed.or(config.speed) {
        command.arg("--speed").arg(speed.to_string());
    }
    if let Some(seed) = args.seed {
        command.arg("--seed").arg(seed.to_string());
    }
    if let Some(record) = &args.record {
        command.arg("--record").arg(std::path::absolute(record)?);
    }
    if args.no_record {
        command.arg("--no-record");
    }
    command
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log);
    // A session of its own, so no terminal's hangup reaches it, and a hangup ignored from
    // the start. SAFETY: `setsid` and `signal` are async-signal-safe and touch no memory of
    // the parent.
    unsafe {
        command.pre_exec(|| {
            use nix::sys::signal::{SigHandler, Signal, signal};
            nix::unistd::setsid().map_err(std::io::Error::from)?;
            signal(Signal::SIGHUP, SigHandler::SigIgn).map_err(std::io::Error::from)?;
            Ok(())
        });
    }
    let mut child = command.spawn()?;
    let until = Instant::now() + START_TIMEOUT;
    while !socket.exists() {
        if let Some(status) = child.try_wait()? {
            // A run quick enough to end before this looked has left its entry.
            if status.success() && RunEntry::path(&dir, &id).exists() {
                break;
            }
            let said = std::fs::read_to_string(&log_path).unwrap_or_default();
            let last = said
                .lines()
                .last()
                .unwrap_or("no output")
                .trim_start_matches("orch-tui: ")
                .to_string();
            // The run's own usage errors (exit 2) stay usage errors here.
            return Err(match status.code() {
                Some(2) => CommandError::Usage(last),
                _ => CommandError::Other(format!("the run ended at once ({status}): {last}")),
            });
        }
        if Instant::now() > until {
            let _ = child.kill();
            return Err(CommandError::Other(format!(
                "the run did not open {} within {} s; its output is in {}",
                socket.display(),
                START_TIMEOUT.as_secs(),
                log_path.display()
            )));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(Started {
        id,
        socket,
        process: child,
    })
}

/// The command-line spelling of a decide mode.
fn decide_flag(mode: DecideMode) -> String {
    use clap::ValueEnum;
    mode.to_possible_value()
        .map_or_else(|| "person".into(), |v| v.get_name().to_string())
}
