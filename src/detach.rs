//! `orch-tui run FILE --detach`: checks the workflow here, where a mistake can still be told,
//! then starts the same run as a headless process of its own session (no terminal, SIGHUP
//! ignored, output in `RUN.log` in the run folder), waits until its control socket answers, and
//! prints its id. The run then lives until it ends or `orch-tui stop` stops it.

use crate::cli::RunArgs;
use crate::commands::{CommandError, Result, load_workflow};
use crate::config::UserConfig;
use crate::engine::DecideMode;
use crate::run::control::{new_run_id, run_folder, socket_path};
use crate::sanitise::Sanitised;
use std::io::Write;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long the background run may take to open its socket.
const START_TIMEOUT: Duration = Duration::from_secs(20);

/// Starts the run in the background and prints its id.
pub fn start(args: &RunArgs, config: &UserConfig, out: &mut dyn Write) -> Result<u8> {
    let workflow = load_workflow(args.file.as_deref())?;
    if workflow.has_command_agents() && args.speed.is_some() {
        return Err(CommandError::Usage(format!(
            "workflow `{}` has command agents, which run on the wall clock; drop --speed",
            workflow.name
        )));
    }
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
    if let Some(speed) = args.speed {
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
    // A session of its own, so no terminal's hangup reaches it. SAFETY: `setsid` is
    // async-signal-safe and touches no memory of the parent.
    unsafe {
        command.pre_exec(|| {
            nix::unistd::setsid()
                .map(drop)
                .map_err(std::io::Error::from)
        });
    }
    let mut child = command.spawn()?;
    let until = Instant::now() + START_TIMEOUT;
    while !socket.exists() {
        if let Some(status) = child.try_wait()? {
            let said = std::fs::read_to_string(&log_path).unwrap_or_default();
            let last = said.lines().last().unwrap_or("no output").to_string();
            return Err(CommandError::Other(format!(
                "the run ended at once ({status}): {last}"
            )));
        }
        if Instant::now() > until {
            return Err(CommandError::Other(format!(
                "the run did not open {} within {} s; its output is in {}",
                socket.display(),
                START_TIMEOUT.as_secs(),
                log_path.display()
            )));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    writeln!(Sanitised::new(out), "{id}")?;
    eprintln!(
        "orch-tui: run {id} goes on in the background: `orch-tui status {id}`, `orch-tui decide {id} BLOCKER OPTION`, `orch-tui stop {id}`"
    );
    Ok(0)
}

/// The command-line spelling of a decide mode.
fn decide_flag(mode: DecideMode) -> String {
    use clap::ValueEnum;
    mode.to_possible_value()
        .map_or_else(|| "person".into(), |v| v.get_name().to_string())
}
