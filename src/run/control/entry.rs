//! A run's `ls` entry, `RUN.json` beside its socket: which run it is while it goes on, and its
//! final status and view once it ended. A run whose process is gone without a final status
//! crashed. Entries of runs that ended more than a day ago are removed when runs are listed.

use super::view::RunView;
use crate::run::wire::RunInfo;
use nix::errno::Errno;
use nix::sys::signal::kill;
use nix::unistd::Pid;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// How long an ended run stays in `ls`.
const KEEP: Duration = Duration::from_secs(24 * 3600);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunEntry {
    #[serde(flatten)]
    pub run: RunInfo,
    /// The final status, once the run ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
    /// The run as it ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<RunView>,
}

/// Where a listed run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Liveness {
    Running,
    Finished,
    /// Its process is gone, and it never wrote a final status.
    Crashed,
}

impl Liveness {
    pub fn label(self) -> &'static str {
        match self {
            Liveness::Running => "running",
            Liveness::Finished => "finished",
            Liveness::Crashed => "crashed",
        }
    }
}

impl RunEntry {
    pub fn path(dir: &Path, id: &str) -> PathBuf {
        dir.join(format!("{id}.json"))
    }

    /// Writes the entry whole (a new file renamed over the old), mode 0600.
    pub fn write(&self, dir: &Path) -> std::io::Result<()> {
        let path = RunEntry::path(dir, &self.run.id);
        let tmp = dir.join(format!(".{}.json.new", self.run.id));
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)?;
        serde_json::to_writer(&mut file, self)?;
        file.write_all(b"\n")?;
        std::fs::rename(&tmp, &path)
    }

    pub fn liveness(&self) -> Liveness {
        if self.status.is_some() {
            Liveness::Finished
        } else if process_alive(self.run.pid) {
            Liveness::Running
        } else {
            Liveness::Crashed
        }
    }

    /// When the run ended (or, for a crashed run, started): what its keeping is counted from.
    fn ended(&self) -> Option<SystemTime> {
        let at = self.finished_at.as_deref().unwrap_or(&self.run.started_at);
        humantime::parse_rfc3339_weak(at).ok()
    }
}

/// Runs as listed, and the entries that could not be read (each a one-line problem).
pub type Listing = (Vec<(RunEntry, Liveness)>, Vec<String>);

/// Every run in `dir`, oldest first, with entries that cannot be read named in the second list.
/// Ended runs older than a day are removed (their entry, and a crashed run's socket).
pub fn list_runs(dir: &Path) -> std::io::Result<Listing> {
    let mut runs = Vec::new();
    let mut problems = Vec::new();
    for item in std::fs::read_dir(dir)? {
        let path = item?.path();
        let is_entry = path.extension().is_some_and(|e| e == "json")
            && !path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if !is_entry {
            continue;
        }
        let entry: RunEntry = match std::fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|text| serde_json::from_str(&text).map_err(|e| e.to_string()))
        {
            Ok(entry) => entry,
            Err(e) => {
                problems.push(format!("{}: {e}; remove the file", path.display()));
                continue;
            }
        };
        let liveness = entry.liveness();
        let old = entry
            .ended()
            .and_then(|at| SystemTime::now().duration_since(at).ok())
            .is_some_and(|age| age > KEEP);
        if liveness != Liveness::Running && old {
            let _ = std::fs::remove_file(&path);
            let _ = std::fs::remove_file(dir.join(format!("{}.sock", entry.run.id)));
            let _ = std::fs::remove_file(dir.join(format!("{}.log", entry.run.id)));
            continue;
        }
        runs.push((entry, liveness));
    }
    runs.sort_by(|a, b| a.0.run.started_at.cmp(&b.0.run.started_at));
    Ok((runs, problems))
}

fn process_alive(pid: u32) -> bool {
    let Ok(raw) = i32::try_from(pid) else {
        return false;
    };
    matches!(kill(Pid::from_raw(raw), None), Ok(()) | Err(Errno::EPERM))
}
