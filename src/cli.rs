//! The command line: `run` (the default, with no arguments it opens the dashboard on the
//! built-in example), `plan`, `validate`, `replay`, `import-stg`, the commands that reach a
//! run going on elsewhere (`ls`, `status`, `attach`, `decide`, `stop`), the helpers that fit orch-tui
//! into a shell and an editor (`init`, `schema`, `completions`, `man`), and their options.

use crate::engine::DecideMode;
use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "orch-tui",
    version = version(),
    about = "Schedule agents over a task graph, watch and steer the run live, record and replay it",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a workflow: the live dashboard, or a headless run with --headless.
    Run(RunArgs),
    /// Print the plan: parallel waves, critical path, estimated makespan, time saved.
    Plan(PlanArgs),
    /// Check a workflow file and summarize it in one line, or say exactly what is wrong.
    Validate(ValidateArgs),
    /// Play a recorded run back in the dashboard, or inspect, verify or export it.
    Replay(ReplayArgs),
    /// Write a commented starter workflow to NAME.toml (default: workflow.toml).
    Init(InitArgs),
    /// Print the JSON Schema of workflow files, for editors that check TOML as it is typed.
    Schema,
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Print the man page (roff), or write one page per subcommand with --dir.
    Man(ManArgs),
    /// Print the workflow of a Standard Task Graph (STG) file run by N identical agents.
    ImportStg(ImportStgArgs),
    /// List this user's runs on this machine: going on, and ended in the last day.
    Ls(LsArgs),
    /// Show a run: tasks by status, open blockers with their options, cost so far.
    Status(StatusArgs),
    /// Decide a blocker of a run going on (exit 2 with the reason when it cannot be).
    Decide(DecideArgs),
    /// Stop a run going on, as `q` in its dashboard does.
    Stop(StopArgs),
    /// Open the dashboard on a run going on: caught up from its start, then live. Quitting
    /// leaves the run going.
    Attach(AttachArgs),
    /// Speak the control protocol of RUN over stdin and stdout (what `attach --ssh` runs).
    #[command(hide = true)]
    Bridge(StopArgs),
}

#[derive(Debug, Args)]
pub struct LsArgs {
    /// One JSON object per run, as an array.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The run's id, or a prefix of it (default: the only run going on).
    pub run: Option<String>,
    /// The run's view as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DecideArgs {
    /// The run's id, or a prefix of it.
    pub run: String,
    /// The blocker's id, as `status` lists it.
    pub blocker: String,
    /// The option's number, from 1.
    pub option: usize,
}

#[derive(Debug, Args)]
pub struct AttachArgs {
    /// The run's id, or a prefix of it (default: the only run going on).
    pub run: Option<String>,
    /// Reach the run on HOST over ssh (`ssh HOST orch-tui bridge RUN`); ssh authenticates
    /// and encrypts, orch-tui opens no port. The remote command is $ORCH_TUI_REMOTE, or
    /// `orch-tui`.
    #[arg(long, value_name = "HOST")]
    pub ssh: Option<String>,
}

#[derive(Debug, Args)]
pub struct StopArgs {
    /// The run's id, or a prefix of it (default: the only run going on).
    pub run: Option<String>,
}

/// The version line: the program's version and the recording format it writes and reads.
fn version() -> String {
    format!(
        "{} (recording format v{})",
        env!("CARGO_PKG_VERSION"),
        crate::record::VERSION
    )
}

#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// The recording (a .jsonl file written by `orch-tui run`).
    pub file: PathBuf,
    /// Print the event timeline and the summary instead of opening the dashboard.
    #[arg(long)]
    pub headless: bool,
    /// Print the state at this run time (e.g. 3.5h, 90m, or a number in the workflow's unit).
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// JSON output (with --headless: the summary; with --at: the state).
    #[arg(long)]
    pub json: bool,
    /// Re-run the simulated recording from its header and check it reproduces every event.
    #[arg(long, conflicts_with_all = ["at", "export", "headless"])]
    pub verify: bool,
    /// Write the task timeline in this format to stdout.
    #[arg(long, value_enum, conflicts_with_all = ["at", "headless"])]
    pub export: Option<ExportFormat>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
}

#[derive(Debug, Args, Default)]
pub struct RunArgs {
    /// The workflow file (default: the built-in analytics dashboard example).
    pub file: Option<PathBuf>,
    /// Run without the dashboard: print one line per notable event and a summary.
    #[arg(long)]
    pub headless: bool,
    /// Run as fast as possible on virtual time (implies --headless).
    #[arg(long, conflicts_with = "speed")]
    pub instant: bool,
    /// Workflow time units per wall-clock second (e.g. 0.5 runs an "hours" workflow at 30 min/s).
    #[arg(long, value_parser = positive_speed)]
    pub speed: Option<f64>,
    /// Seed for simulated randomness (overrides the workflow's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// How blockers that need a person are decided: person waits (dashboard only),
    /// recommended/first decide at once, none stops the run at the first one (exit 3).
    #[arg(long, value_enum)]
    pub decide: Option<DecideMode>,
    /// Where to write the recording (default: the platform data folder).
    #[arg(long, conflicts_with = "no_record")]
    pub record: Option<PathBuf>,
    /// Do not record the run.
    #[arg(long)]
    pub no_record: bool,
    /// Print the summary as JSON (implies --headless).
    #[arg(long)]
    pub json: bool,
    /// Start the run in the background, print its id and return; reach it with `ls`,
    /// `status`, `decide` and `stop`. Blockers wait for a person unless --decide says otherwise.
    #[arg(long, conflicts_with_all = ["headless", "instant", "json"])]
    pub detach: bool,
    /// The run's id (what --detach gives the run it starts).
    #[arg(long, hide = true, value_name = "ID")]
    pub run_id: Option<String>,
    /// When the dashboard's terminal hangs up (closed, ssh dropped), leave the run going in
    /// the background instead of stopping it.
    #[arg(long, conflicts_with_all = ["headless", "instant", "json", "detach"])]
    pub detach_on_hangup: bool,
    /// Run as the background half of --detach: no terminal, SIGHUP ignored.
    #[arg(long, hide = true)]
    pub background: bool,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    pub file: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = PlanFormat::Text, conflicts_with_all = ["json", "dot", "mermaid"])]
    pub format: PlanFormat,
    /// Same as --format json.
    #[arg(long)]
    pub json: bool,
    /// Same as --format dot (Graphviz).
    #[arg(long)]
    pub dot: bool,
    /// Same as --format mermaid.
    #[arg(long)]
    pub mermaid: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    Text,
    Json,
    Dot,
    Mermaid,
}

impl PlanArgs {
    pub fn chosen_format(&self) -> PlanFormat {
        match (self.json, self.dot, self.mermaid) {
            (true, _, _) => PlanFormat::Json,
            (_, true, _) => PlanFormat::Dot,
            (_, _, true) => PlanFormat::Mermaid,
            _ => self.format,
        }
    }
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    pub file: PathBuf,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The file to write; `.toml` is added unless it is there already.
    #[arg(default_value = "workflow")]
    pub name: PathBuf,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write orch-tui.1 and a page for each subcommand (orch-tui-run.1, …) into this folder.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ImportStgArgs {
    /// The STG file.
    pub file: PathBuf,
    /// How many identical agents run the tasks.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub agents: u32,
}

fn positive_speed(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
        _ => Err(format!(
            "`{s}` is not a positive number of workflow units per second"
        )),
    }
}
