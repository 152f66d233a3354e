//! One attempt of a real agent, from start to reaped: starts the argv (no shell) in its own
//! process group with the allowlisted environment only, writes its dialect's opening lines and
//! then answers to its stdin, reads stdout through the dialect and stderr as log lines — within a
//! bound on line length and on lines per second — and ends the attempt on exit, timeout, silence
//! past the heartbeat, or cancellation, ending the whole group every time. The heartbeat and the
//! timeout do not run while the agent waits for a decision on its blocker.

use super::dialect::{Dialect, Said, dialect_for, line_limit};
use super::flood::FloodGate;
use super::group::{GRACE, Group};
use super::lines::{Line, LineSplitter};
use super::program::find_program;
use super::runner::{Outbox, Report};
use crate::engine::agent_io::{AgentReport, Exit, Launch, Speaks};
use crate::engine::event::LogLevel;
use nix::sys::signal::Signal;
use std::os::unix::process::ExitStatusExt;
use std::process::{ExitStatus, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::process::{Child, Command};
use tokio::sync::mpsc;

/// Longest log text kept from one line; the rest is dropped and counted.
const LOG_TEXT: usize = 8 * 1024;
/// How long output still buffered is read after the group ended.
const DRAIN: Duration = Duration::from_secs(1);

/// What the run tells a running attempt.
#[derive(Debug)]
pub enum Control {
    /// The decision on its blocker `blocker` (its own id): option `option`, 1-based.
    Decide { blocker: String, option: usize },
    /// End it now; nothing more is reported.
    End,
}

/// A line from one of the process's output streams.
enum Output {
    Stdout(Line),
    Stderr(Line),
}

/// How the wait for the process ended.
enum Ending {
    Exited(ExitStatus),
    Failed(String),
    Cancelled,
}

/// Runs attempt `launch` to its end, sending what it does to `outbox`.
pub async fn supervise(
    launch: Launch,
    outbox: Outbox,
    mut control: mpsc::UnboundedReceiver<Control>,
) {
    let mut attempt = Attempt {
        outbox,
        task: launch.task.clone(),
        number: launch.attempt,
        gate: FloodGate::new(Instant::now()),
        dialect: dialect_for(launch.speaks),
        speaks: launch.speaks,
        stdin: None,
    };
    let started = match launch.argv.first() {
        Some(program) => command(program, &launch)
            .spawn()
            .map_err(|e| spawn_error(program, launch.cwd.as_deref(), &e)),
        None => Err("nothing to run: the argv is empty".to_string()),
    };
    let mut child = match started {
        Ok(child) => child,
        Err(reason) => {
            attempt
                .essential(AgentReport::Exited(Exit::Failed(reason)))
                .await;
            return;
        }
    };
    let Some(group) = child.id().map(Group::new) else {
        attempt
            .essential(AgentReport::Exited(Exit::Failed(
                "the process vanished at start".into(),
            )))
            .await;
        return;
    };
    let opening = attempt.dialect.opening(&launch);
    attempt.stdin = child.stdin.take().map(|stdin| writer(stdin, opening));
    attempt.close_if_done();
    let (lines_tx, mut lines) = mpsc::channel(64);
    let limit = line_limit(launch.speaks);
    if let Some(out) = child.stdout.take() {
        tokio::spawn(read_lines(out, lines_tx.clone(), Output::Stdout, limit));
    }
    if let Some(err) = child.stderr.take() {
        tokio::spawn(read_lines(err, lines_tx, Output::Stderr, limit));
    }
    let started = Instant::now();
    let mut deadline = launch
        .timeout_ms
        .map(|ms| started + Duration::from_millis(ms));
    let heartbeat = launch.heartbeat_ms.map(Duration::from_millis);
    let mut last_output = started;
    let mut waiting_since: Option<Instant> = None;
    let mut streams_open = true;
    let ending = loop {
        let silent_until = heartbeat
            .filter(|_| waiting_since.is_none())
            .map(|h| last_output + h);
        let paused_deadline = deadline.filter(|_| waiting_since.is_none());
        let alarm = [silent_until, paused_deadline].into_iter().flatten().min();
        tokio::select! {
            output = lines.recv(), if streams_open => match output {
                Some(output) => {
                    last_output = Instant::now();
                    match attempt.take(output).await {
                        Taken::Asked => waiting_since = Some(last_output),
                        Taken::Withdrawn => resume(&mut waiting_since, &mut deadline, &mut last_output),
                        Taken::Broken(reason) => break Ending::Failed(reason),
                        Taken::Routine => {}
                    }
                }
                None => streams_open = false,
            },
            status = child.wait() => match status {
                Ok(status) => break Ending::Exited(status),
                Err(e) => break Ending::Failed(format!("lost the process: {e}")),
            },
            message = control.recv() => match message {
                Some(Control::Decide { blocker, option }) => {
                    let lines = attempt.dialect.answer(&blocker, option);
                    attempt.write(lines);
                    resume(&mut waiting_since, &mut deadline, &mut last_output);
                }
                Some(Control::End) | None => break Ending::Cancelled,
            },
            _ = sleep_until(alarm) => {
                let timed_out = paused_deadline.is_some_and(|d| Instant::now() >= d);
                break Ending::Failed(alarm_reason(&launch, timed_out));
            }
        }
    };
    let status = match ending {
        Ending::Exited(status) => Some(status),
        _ => stop_leader(&mut child, group).await,
    };
    group.end_leftovers().await;
    attempt.stdin = None;
    if let Ending::Cancelled = ending {
        return;
    }
    let drain_until = Instant::now() + DRAIN;
    while let Ok(Some(output)) = tokio::time::timeout_at(drain_until.into(), lines.recv()).await {
        attempt.take(output).await;
    }
    attempt.report_dropped(true).await;
    let exit = match ending {
        Ending::Failed(reason) => Exit::Failed(reason),
        _ => status.map_or(Exit::Failed("lost the process".into()), exit_of),
    };
    let exit = attempt.dialect.verdict(exit);
    attempt.essential(AgentReport::Exited(exit)).await;
}

/// The command for an attempt: argv without a shell, its own process group, the allowlisted
/// environment only, piped stdio.
/// Why the process did not start: a missing working directory is named as such, since the
/// system reports it as the program not being found.
fn spawn_error(program: &str, cwd: Option<&std::path::Path>, error: &std::io::Error) -> String {
    match cwd {
        Some(dir) if !dir.is_dir() => format!(
            "cannot start `{program}`: its working directory {} does not exist",
            dir.display()
        ),
        _ => format!("cannot start `{program}`: {error}"),
    }
}

fn command(program: &str, launch: &Launch) -> Command {
    let env: Vec<(&String, std::ffi::OsString)> = launch
        .env
        .iter()
        .filter_map(|name| std::env::var_os(name).map(|value| (name, value)))
        .collect();
    let path = env
        .iter()
        .find(|(name, _)| name.as_str() == "PATH")
        .map(|(_, value)| value.as_os_str());
    let mut command = Command::new(find_program(program, path, launch.cwd.as_deref()));
    command
        .args(launch.argv.iter().skip(1))
        .env_clear()
        .envs(env)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    if let Some(cwd) = &launch.cwd {
        command.current_dir(cwd);
    }
    command
}

/// The agent no longer waits for a decision: the paused timeout moves on by the time it waited,
/// and the heartbeat starts afresh.
fn resume(waiting_since: &mut Option<Instant>, deadline: &mut Option<Instant>, last: &mut Instant) {
    if let Some(since) = waiting_since.take() {
        *deadline = deadline.map(|d| d + since.elapsed());
        *last = Instant::now();
    }
}

/// Writes the opening lines, then every line it is sent, to the process's stdin; stops quietly
/// when the process stops reading.
fn writer(
    mut stdin: tokio::process::ChildStdin,
    opening: Vec<String>,
) -> mpsc::UnboundedSender<String> {
    let (tx, mut rx) = mpsc::unbounded_channel::<String>();
    for line in opening {
        let _ = tx.send(line);
    }
    tokio::spawn(async move {
        while let Some(mut line) = rx.recv().await {
            line.push('\n');
            if stdin.write_all(line.as_bytes()).await.is_err() || stdin.flush().await.is_err() {
                break;
            }
        }
    });
    tx
}

async fn read_lines(
    mut stream: impl AsyncRead + Unpin,
    out: mpsc::Sender<Output>,
    wrap: fn(Line) -> Output,
    limit: usize,
) {
    let mut splitter = LineSplitter::new(limit);
    let mut buffer = vec![0u8; 8 * 1024];
    let mut ready = Vec::new();
    while let Ok(n) = stream.read(&mut buffer).await {
        if n == 0 {
            break;
        }
        splitter.push(&buffer[..n], &mut |line| ready.push(line));
        for line in ready.drain(..) {
            if out.send(wrap(line)).await.is_err() {
                return;
            }
        }
    }
    if let Some(line) = splitter.finish() {
        let _ = out.send(wrap(line)).await;
    }
}

/// SIGTERM to the group, SIGKILL after the grace period; the leader's status once reaped.
async fn stop_leader(child: &mut Child, group: Group) -> Option<ExitStatus> {
    group.signal(Signal::SIGTERM);
    if let Ok(status) = tokio::time::timeout(GRACE, child.wait()).await {
        return status.ok();
    }
    group.signal(Signal::SIGKILL);
    child.wait().await.ok()
}

fn exit_of(status: ExitStatus) -> Exit {
    match (status.code(), status.signal()) {
        (Some(0), _) => Exit::Succeeded,
        (Some(code), _) => Exit::Failed(format!("exit status {code}")),
        (None, Some(signal)) => Exit::Failed(format!(
            "killed by signal {signal} ({})",
            Signal::try_from(signal).map_or("?", |s| s.as_str())
        )),
        (None, None) => Exit::Failed("ended without a status".into()),
    }
}

async fn sleep_until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at.into()).await,
        None => std::future::pending().await,
    }
}

/// Why an attempt was ended by its alarm: the timeout, or else the heartbeat.
fn alarm_reason(launch: &Launch, timed_out: bool) -> String {
    let seconds = |ms: Option<u64>| ms.unwrap_or(0) as f64 / 1000.0;
    match timed_out {
        true => format!("timed out after {}s", seconds(launch.timeout_ms)),
        false => format!(
            "no output for {}s (heartbeat)",
            seconds(launch.heartbeat_ms)
        ),
    }
}

/// The attempt's side of the report queue, and of the process's stdin.
struct Attempt {
    outbox: Outbox,
    task: String,
    number: u32,
    gate: FloodGate,
    dialect: Box<dyn Dialect>,
    speaks: Speaks,
    stdin: Option<mpsc::UnboundedSender<String>>,
}

/// What one output line changed for the attempt.
enum Taken {
    Routine,
    /// The agent raised a blocker and now waits for the decision.
    Asked,
    /// The agent took its question back.
    Withdrawn,
    /// The agent broke its protocol: the attempt ends with this reason.
    Broken(String),
}

impl Attempt {
    fn wrap(&self, report: AgentReport) -> Report {
        Report {
            task: self.task.clone(),
            attempt: self.number,
            at: Instant::now(),
            report,
        }
    }

    /// Sends a report that must arrive (a result, a blocker, the exit), waiting for room.
    async fn essential(&mut self, report: AgentReport) {
        let report = self.wrap(report);
        self.outbox.send(report).await;
    }

    /// Sends a report that may be dropped under a flood.
    fn routine(&mut self, report: AgentReport) {
        let now = Instant::now();
        if !self.gate.admit(now) {
            return;
        }
        let report = self.wrap(report);
        if !self.outbox.try_send(report) {
            self.gate.count_dropped();
        }
    }

    async fn report_dropped(&mut self, flush: bool) {
        if let Some(n) = self.gate.take_dropped(Instant::now(), flush) {
            let text = format!(
                "dropped {n} output lines: more than {} a second",
                super::flood::LINES_PER_SECOND
            );
            self.essential(AgentReport::Log {
                level: LogLevel::Warn,
                text,
            })
            .await;
        }
    }

    /// Writes lines to the process's stdin, if it is still open.
    fn write(&mut self, lines: Vec<String>) {
        if let Some(stdin) = &self.stdin {
            for line in lines {
                let _ = stdin.send(line);
            }
        }
        self.close_if_done();
    }

    /// Closes stdin, once the lines queued are sent, when the agent needs no more input.
    fn close_if_done(&mut self) {
        if self.dialect.input_done() {
            self.stdin = None;
        }
    }

    /// Handles one output line: stdout through the dialect, stderr as log lines.
    async fn take(&mut self, output: Output) -> Taken {
        self.report_dropped(false).await;
        let (line, said) = match output {
            Output::Stdout(line) => {
                let heard = self.dialect.read(&line.text);
                self.write(heard.replies);
                (line, heard.said)
            }
            Output::Stderr(line) => {
                let said = vec![Said::Plain(line.text.clone())];
                (line, said)
            }
        };
        let mut taken = Taken::Routine;
        for said in said {
            match self.say(said, &line).await {
                Taken::Routine => {}
                other => taken = other,
            }
        }
        taken
    }

    /// Passes on one thing a line said.
    async fn say(&mut self, said: Said, line: &Line) -> Taken {
        match said {
            Said::Message(report @ (AgentReport::Blocker(_) | AgentReport::Withdrawn { .. })) => {
                let taken = match report {
                    AgentReport::Blocker(_) => Taken::Asked,
                    _ => Taken::Withdrawn,
                };
                self.essential(report).await;
                return taken;
            }
            Said::Message(report @ (AgentReport::Result { .. } | AgentReport::Usage(_))) => {
                self.essential(report).await
            }
            Said::Message(AgentReport::Log { level, text }) => self.routine(AgentReport::Log {
                level,
                text: clip(&text, 0),
            }),
            Said::Message(report) => self.routine(report),
            Said::Plain(text) => self.routine(AgentReport::Log {
                level: LogLevel::Info,
                text: clip(&text, line.dropped),
            }),
            Said::Unreadable { why: _ } if line.dropped > 0 && self.speaks == Speaks::Protocol => {
                return Taken::Broken(format!(
                    "a stdout line of {} bytes is over the {} KiB limit of a protocol message",
                    line.text.len() + line.dropped,
                    line_limit(self.speaks) / 1024
                ));
            }
            Said::Unreadable { why } => self.routine(AgentReport::Log {
                level: LogLevel::Warn,
                text: clip(
                    &format!("unreadable protocol line ({why}): {}", line.text),
                    line.dropped,
                ),
            }),
        }
        Taken::Routine
    }
}

/// At most `LOG_TEXT` bytes of `text`, saying how much was dropped here and before.
fn clip(text: &str, dropped_before: usize) -> String {
    let mut end = text.len().min(LOG_TEXT);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let dropped = dropped_before + text.len() - end;
    if dropped == 0 {
        return text.to_string();
    }
    format!("{} … [line cut: {dropped} bytes dropped]", &text[..end])
}
