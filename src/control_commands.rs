//! The commands that reach runs through their control sockets (`docs/control.md`): `ls` lists
//! this user's runs, `status` shows one, `decide` decides one of its blockers, `stop` stops it,
//! and the hidden `bridge` carries the protocol between stdio and a socket for `ssh HOST
//! orch-tui bridge RUN`. A run that ended is shown from the entry it left.

use crate::cli::{DecideArgs, LsArgs, StatusArgs, StopArgs};
use crate::command_error::{CommandError, Result};
use crate::run::control::{
    Connection, Liveness, RunEntry, RunView, here, list_runs, resolve, run_folder, socket_path,
};
use crate::run::wire::ClientMessage;
use crate::sanitise::{self, Sanitised};
use std::io::Write;

/// The runs in the run folder, each with its view now (asked of a running run, or kept by an
/// ended one), and the entries that could not be read reported on stderr.
fn runs() -> Result<Vec<(RunEntry, Liveness, Option<RunView>)>> {
    let (runs, problems) = list_runs(&run_folder()?)?;
    for problem in problems {
        sanitise::to_stderr(&format!("orch-tui: warning: {problem}"));
    }
    Ok(runs
        .into_iter()
        .map(|(entry, liveness)| {
            let view = match liveness {
                Liveness::Running => ask_view(&entry).ok(),
                _ => entry.summary.clone(),
            };
            (entry, liveness, view)
        })
        .collect())
}

/// A connection to a running run, hello said.
fn connect(
    entry: &RunEntry,
) -> std::result::Result<
    Connection<std::os::unix::net::UnixStream, std::os::unix::net::UnixStream>,
    String,
> {
    let dir = run_folder().map_err(|e| e.to_string())?;
    let socket = socket_path(&dir, &entry.run.id).map_err(|e| e.to_string())?;
    let mut conn = Connection::connect(&socket)
        .map_err(|e| format!("cannot reach run {}: {e}", entry.run.id))?;
    conn.hello(false, &here())?;
    Ok(conn)
}

fn ask_view(entry: &RunEntry) -> std::result::Result<RunView, String> {
    let mut conn = connect(entry)?;
    let id = conn.next_id();
    let value = conn.request(&ClientMessage::Info { id })?;
    serde_json::from_value(value).map_err(|e| {
        format!(
            "run {} answered in a form this orch-tui cannot read: {e}",
            entry.run.id
        )
    })
}

/// The run RUN names (an id or a prefix; none: the only one going on).
pub(crate) fn named(arg: Option<&str>) -> Result<(RunEntry, Liveness)> {
    let (runs, _) = list_runs(&run_folder()?)?;
    let entry = resolve(&runs, arg).map_err(CommandError::Usage)?;
    let liveness = entry.liveness();
    Ok((entry, liveness))
}

/// What a run's status column says.
fn status_word(liveness: Liveness, view: Option<&RunView>) -> String {
    match (liveness, view) {
        (Liveness::Running, Some(view)) if view.status != "running" => view.status.clone(),
        (Liveness::Finished, Some(view)) => view.status.clone(),
        _ => liveness.label().to_string(),
    }
}

pub fn ls(args: &LsArgs, out: &mut dyn Write) -> Result<u8> {
    let runs = runs()?;
    if args.json {
        let items: Vec<serde_json::Value> = runs
            .iter()
            .map(|(entry, liveness, view)| {
                serde_json::json!({
                    "id": entry.run.id,
                    "workflow": entry.run.workflow,
                    "file": entry.run.file,
                    "recording": entry.run.recording,
                    "pid": entry.run.pid,
                    "started_at": entry.run.started_at,
                    "finished_at": entry.finished_at,
                    "status": status_word(*liveness, view.as_ref()),
                    "finished": view.as_ref().map(|v| v.finished),
                    "total": view.as_ref().map(|v| v.total),
                    "blockers": view.as_ref().map(|v| v.blockers.iter().map(|b| b.id.clone()).collect::<Vec<_>>()),
                    "viewers": view.as_ref().map(|v| v.viewers),
                    "cost": view.as_ref().map(|v| v.cost.clone()),
                })
            })
            .collect();
        writeln!(out, "{}", sanitise::json(&items))?;
        return Ok(0);
    }
    let out = &mut Sanitised::new(out);
    if runs.is_empty() {
        writeln!(
            out,
            "No runs. Start one in the background with `orch-tui run FILE --detach`."
        )?;
        return Ok(0);
    }
    writeln!(
        out,
        "{:<28} {:<20} {:<20} {:<18} {:>13} {:>8} {:>7}  COST",
        "ID", "WORKFLOW", "STARTED", "STATUS", "PROGRESS", "BLOCKERS", "VIEWERS"
    )?;
    for (entry, liveness, view) in &runs {
        let progress = view.as_ref().map_or("?".to_string(), |v| {
            format!("{}/{} {:>3}%", v.finished, v.total, v.percent())
        });
        let count =
            |f: fn(&RunView) -> usize| view.as_ref().map_or("?".to_string(), |v| f(v).to_string());
        writeln!(
            out,
            "{:<28} {:<20} {:<20} {:<18} {:>13} {:>8} {:>7}  {}",
            entry.run.id,
            entry.run.workflow,
            entry.run.started_at.replace('T', " ").trim_end_matches('Z'),
            status_word(*liveness, view.as_ref()),
            progress,
            count(|v| v.blockers.len()),
            count(|v| v.viewers),
            view.as_ref().map_or("", |v| v.cost.as_str()),
        )?;
    }
    Ok(0)
}

pub fn status(args: &StatusArgs, out: &mut dyn Write) -> Result<u8> {
    let (entry, liveness) = named(args.run.as_deref())?;
    let view = match liveness {
        Liveness::Running => ask_view(&entry).map_err(CommandError::Other)?,
        _ => entry.summary.clone().ok_or_else(|| {
            CommandError::Other(format!(
                "run {} {} without saying how it stood; its recording is {}",
                entry.run.id,
                liveness.label(),
                entry.run.recording.as_deref().unwrap_or("not kept")
            ))
        })?,
    };
    if args.json {
        writeln!(out, "{}", sanitise::json(&view))?;
        return Ok(0);
    }
    let out = &mut Sanitised::new(out);
    let viewers = match view.viewers {
        1 => "1 viewer".to_string(),
        n => format!("{n} viewers"),
    };
    writeln!(
        out,
        "run {} · {} · {} · {}/{} done ({}%) · {} · {viewers}",
        view.run.id,
        view.run.workflow,
        status_word(liveness, Some(&view)),
        view.finished,
        view.total,
        view.percent(),
        if view.cost.is_empty() {
            "no spend"
        } else {
            &view.cost
        },
    )?;
    for (status, ids) in &view.tasks {
        writeln!(out, "  {status:<9} {}", ids.join(", "))?;
    }
    for blocker in &view.blockers {
        writeln!(
            out,
            "blocker {} (task {}): {}",
            blocker.id, blocker.task, blocker.title
        )?;
        for (n, label) in blocker.options.iter().enumerate() {
            let recommended = if n + 1 == blocker.recommended {
                "  (recommended)"
            } else {
                ""
            };
            writeln!(out, "  {}  {label}{recommended}", n + 1)?;
        }
        writeln!(
            out,
            "  decide: orch-tui decide {} {} {}",
            view.run.id, blocker.id, blocker.recommended
        )?;
    }
    Ok(0)
}

/// Sends one request to a running run: its answer, or the reason it gave (exit 2).
fn request(
    arg: Option<&str>,
    message: impl FnOnce(u64) -> ClientMessage,
) -> Result<serde_json::Value> {
    let (entry, liveness) = named(arg)?;
    if liveness != Liveness::Running {
        return Err(CommandError::Usage(format!(
            "run {} has {}; `orch-tui ls` lists the runs going on",
            entry.run.id,
            liveness.label()
        )));
    }
    let mut conn = connect(&entry).map_err(CommandError::Other)?;
    let id = conn.next_id();
    conn.request(&message(id)).map_err(CommandError::Usage)
}

pub fn decide(args: &DecideArgs, out: &mut dyn Write) -> Result<u8> {
    let answer = request(Some(&args.run), |id| ClientMessage::Decide {
        id,
        blocker: args.blocker.clone(),
        option: args.option,
    })?;
    let text = answer["text"].as_str().unwrap_or("decided");
    writeln!(Sanitised::new(out), "{text}")?;
    Ok(0)
}

pub fn stop(args: &StopArgs, out: &mut dyn Write) -> Result<u8> {
    request(args.run.as_deref(), |id| ClientMessage::Stop { id })?;
    writeln!(Sanitised::new(out), "stopped")?;
    Ok(0)
}

/// Carries the protocol between stdio and the run's socket until either side closes.
pub fn bridge(args: &StopArgs) -> Result<u8> {
    let (entry, _) = named(args.run.as_deref())?;
    let socket = socket_path(&run_folder()?, &entry.run.id)?;
    let stream = std::os::unix::net::UnixStream::connect(&socket)
        .map_err(|e| CommandError::Other(format!("cannot reach run {}: {e}", entry.run.id)))?;
    let mut to_run = stream.try_clone()?;
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut std::io::stdin().lock(), &mut to_run);
        let _ = to_run.shutdown(std::net::Shutdown::Write);
    });
    let mut from_run = stream;
    std::io::copy(&mut from_run, &mut std::io::stdout().lock())?;
    Ok(0)
}
