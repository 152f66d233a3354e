//! `orch-tui attach [RUN] [--ssh HOST]`: the full dashboard on a run going on in another
//! process. Locally it connects to the run's socket; with `--ssh` it starts `ssh HOST
//! orch-tui bridge RUN` and speaks the same protocol over that command's stdio, so ssh does
//! the authentication and encryption and orch-tui opens no port. With no RUN and several runs
//! going on, it lists them to pick from. Leaving the dashboard detaches; the run goes on.

use crate::cli::AttachArgs;
use crate::command_error::{CommandError, Result};
use crate::config::UserConfig;
use crate::control_commands::named;
use crate::launch::{dashboard, require_terminal};
use crate::run::control::follow::{Inbox, catch_up};
use crate::run::control::{Connection, Liveness, here, list_runs, run_folder, socket_path};
use crate::run::wire::RunInfo;
use crate::sanitise::Sanitised;
use crate::ui::app::App;
use crate::ui::attached::{Attached, Ending};
use std::io::{BufRead, Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

/// The remote command `--ssh` runs, unless `ORCH_TUI_REMOTE` names another.
const REMOTE: &str = "orch-tui";

pub fn attach(args: &AttachArgs, out: &mut dyn Write) -> Result<u8> {
    require_terminal("status", "RUN")?;
    let config = UserConfig::load()?;
    let ending = match &args.ssh {
        None => {
            let id = local_run(args.run.as_deref())?;
            let socket = socket_path(&run_folder()?, &id)?;
            let stream = std::os::unix::net::UnixStream::connect(&socket)
                .map_err(|e| CommandError::Other(format!("cannot reach run {id}: {e}")))?;
            let conn = Connection::new(stream.try_clone()?, stream);
            watch(conn, &here(), &config)?
        }
        Some(host) => {
            let mut ssh = Ssh::start(host, args.run.as_deref())?;
            let (Some(from), Some(to)) = (ssh.child.stdout.take(), ssh.child.stdin.take()) else {
                return Err(CommandError::Other("cannot talk to ssh".into()));
            };
            let at = std::fs::read_to_string("/proc/sys/kernel/hostname")
                .map(|h| h.trim().to_string())
                .unwrap_or_default();
            let ending = watch(Connection::new(from, to), &at, &config);
            ssh.finish(ending)?
        }
    };
    let out = &mut Sanitised::new(out);
    match ending {
        Ending::Detached => {
            writeln!(
                out,
                "Detached; the run goes on. `orch-tui attach` comes back."
            )?;
            Ok(0)
        }
        Ending::RunEnded(status) => {
            writeln!(out, "The run ended: {}.", status.label())?;
            Ok(0)
        }
        Ending::Lost(why) => Err(CommandError::Other(why)),
    }
}

/// The dashboard of a run this process just started in the background, as its `owner` when
/// asked: if this process then goes without detaching the run, the run stops.
pub fn own(socket: &std::path::Path, app: App, owner: bool) -> Result<(Ending, RunInfo)> {
    let stream = std::os::unix::net::UnixStream::connect(socket)
        .map_err(|e| CommandError::Other(format!("cannot reach the run: {e}")))?;
    let mut conn = Connection::new(stream.try_clone()?, stream);
    let info = conn
        .hello_as(true, &here(), owner)
        .map_err(CommandError::Other)?;
    Ok((follow(conn, app)?, info))
}

/// Says hello as a viewer, then follows the run.
fn watch<R, W>(mut conn: Connection<R, W>, at: &str, config: &UserConfig) -> Result<Ending>
where
    R: Read + Send + 'static,
    W: Write + Send + 'static,
{
    conn.hello(true, at).map_err(CommandError::Other)?;
    let mut app = dashboard(config, false);
    app.attached = true;
    follow(conn, app)
}

/// Catches up and runs the dashboard until the person leaves.
fn follow<R, W>(conn: Connection<R, W>, app: App) -> Result<Ending>
where
    R: Read + Send + 'static,
    W: Write + Send + 'static,
{
    let (mut input, output) = conn.into_parts();
    let caught = catch_up(&mut input).map_err(CommandError::Other)?;
    let news = Arc::new(tokio::sync::Notify::new());
    let wake = news.clone();
    let inbox = Inbox::follow(input, Arc::new(move || wake.notify_one()))?;
    crate::ui::init_logging();
    let attached = Attached::new(caught, inbox, news, Box::new(output));
    Ok(crate::ui::attached::run(attached, app)?)
}

/// The run RUN names here; with none and several going on, the one the person picks.
fn local_run(arg: Option<&str>) -> Result<String> {
    if arg.is_none() {
        let (runs, _) = list_runs(&run_folder()?)?;
        let going: Vec<_> = runs
            .iter()
            .filter(|(_, l)| *l == Liveness::Running)
            .map(|(e, _)| e)
            .collect();
        if going.len() > 1 {
            let mut err = Sanitised::new(std::io::stderr());
            for (n, entry) in going.iter().enumerate() {
                writeln!(
                    err,
                    "{:>3}  {:<28} {}",
                    n + 1,
                    entry.run.id,
                    entry.run.workflow
                )?;
            }
            write!(err, "Attach to which run (1-{})? ", going.len())?;
            err.flush()?;
            let mut answer = String::new();
            std::io::stdin().lock().read_line(&mut answer)?;
            return match answer.trim().parse::<usize>() {
                Ok(n) if (1..=going.len()).contains(&n) => Ok(going[n - 1].run.id.clone()),
                _ => Err(CommandError::Usage(format!(
                    "`{}` is not one of 1-{}; `orch-tui attach RUN` names a run",
                    answer.trim(),
                    going.len()
                ))),
            };
        }
    }
    Ok(named(arg)?.0.run.id)
}

/// `ssh HOST orch-tui bridge [RUN]`, its stderr kept to explain a failure.
struct Ssh {
    child: Child,
    said: Option<std::thread::JoinHandle<Vec<u8>>>,
}

impl Ssh {
    fn start(host: &str, run: Option<&str>) -> Result<Ssh> {
        if host.starts_with('-') {
            return Err(CommandError::Usage(format!(
                "`{host}` is not a host name; options for ssh go in ~/.ssh/config"
            )));
        }
        let remote = std::env::var("ORCH_TUI_REMOTE").unwrap_or_else(|_| REMOTE.into());
        let mut command = format!("{remote} bridge");
        if let Some(run) = run {
            if !run.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                return Err(CommandError::Usage(format!(
                    "`{run}` is not a run id: ids are letters, digits and `-`"
                )));
            }
            command.push(' ');
            command.push_str(run);
        }
        let mut child = Command::new("ssh")
            .args(["-T", "-o", "BatchMode=yes", "--", host, &command])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| CommandError::Other(format!("cannot start ssh: {e}")))?;
        let said = child.stderr.take().map(|mut stderr| {
            std::thread::spawn(move || {
                let mut text = Vec::new();
                let _ = stderr.read_to_end(&mut text);
                text
            })
        });
        Ok(Ssh { child, said })
    }

    /// Ends ssh; a failure of the dashboard is explained with the last thing ssh said.
    fn finish(mut self, ending: Result<Ending>) -> Result<Ending> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let said = self
            .said
            .take()
            .and_then(|reader| reader.join().ok())
            .unwrap_or_default();
        let said = String::from_utf8_lossy(&said)
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .map(|l| l.trim().to_string());
        match (ending, said) {
            (Err(e), Some(said)) => Err(CommandError::Other(format!("{e} (ssh: {said})"))),
            (Ok(Ending::Lost(why)), Some(said)) => Ok(Ending::Lost(format!("{why} (ssh: {said})"))),
            (other, _) => other,
        }
    }
}
