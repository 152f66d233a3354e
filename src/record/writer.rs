//! Writes a run as it happens: the header, then each event as one JSON line. Every batch of
//! events is flushed at once, so a run killed at any moment leaves a file that replays up to its
//! last whole event. The file is locked (an exclusive `flock`) for as long as the run writes it:
//! a second run naming the same file is refused before it changes a byte of it.

use super::Header;
use crate::engine::Event;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{BufWriter, ErrorKind, Write};
use std::path::{Path, PathBuf};

pub struct Recorder {
    out: BufWriter<File>,
    path: PathBuf,
}

impl Recorder {
    /// Creates the file (and its folder), locks it and writes the header. A file another run
    /// holds is left as it is: the error's kind is `ResourceBusy`.
    pub fn create(path: &Path, header: &Header) -> std::io::Result<Recorder> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(std::io::Error::new(
                    ErrorKind::ResourceBusy,
                    "another run is recording to this file",
                ));
            }
            Err(TryLockError::Error(e)) => return Err(e),
        }
        // Only the lock's holder may empty a file that was there before.
        file.set_len(0)?;
        let mut out = BufWriter::new(file);
        serde_json::to_writer(&mut out, header)?;
        out.write_all(b"\n")?;
        out.flush()?;
        Ok(Recorder {
            out,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends events and flushes them to the file.
    pub fn write(&mut self, events: &[Event]) -> std::io::Result<()> {
        for event in events {
            serde_json::to_writer(&mut self.out, event)?;
            self.out.write_all(b"\n")?;
        }
        self.out.flush()
    }

    /// Where a run is recorded when no path is given: in `folder` (the user config's
    /// `recordings`) or else the platform's data folder (`~/.local/share/orch-tui/runs` on
    /// Linux), named after the workflow, the time and the process id, so two runs started in one
    /// millisecond get files of their own.
    pub fn default_path(folder: Option<&Path>, workflow: &str) -> PathBuf {
        let dir = match folder {
            Some(folder) => folder.to_path_buf(),
            None => directories::ProjectDirs::from("", "", "orch-tui").map_or_else(
                || PathBuf::from("orch-tui-runs"),
                |d| d.data_dir().join("runs"),
            ),
        };
        dir.join(default_name(
            workflow,
            std::time::SystemTime::now(),
            std::process::id(),
        ))
    }
}

/// The file name of a run of `workflow` started at `at` by process `pid`.
fn default_name(workflow: &str, at: std::time::SystemTime, pid: u32) -> String {
    let stamp = humantime::format_rfc3339_millis(at)
        .to_string()
        .replace([':', '.'], "-");
    format!("{workflow}-{stamp}-{pid}.jsonl")
}

#[cfg(test)]
mod tests {
    use super::default_name;
    use std::time::{Duration, SystemTime};

    #[test]
    fn two_runs_in_one_millisecond_get_different_names() {
        let at = SystemTime::UNIX_EPOCH + Duration::from_millis(1_780_000_000_123);
        let first = default_name("jwt-auth", at, 4100);
        let second = default_name("jwt-auth", at, 4101);
        assert_ne!(first, second);
        assert!(first.starts_with("jwt-auth-2026-") && first.ends_with("-4100.jsonl"));
    }
}
