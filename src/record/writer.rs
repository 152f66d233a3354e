//! Writes a run as it happens: the header, then each event as one JSON line. Every batch of
//! events is flushed at once, so a run killed at any moment leaves a file that replays up to its
//! last whole event.

use super::Header;
use crate::engine::Event;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

pub struct Recorder {
    out: BufWriter<File>,
    path: PathBuf,
}

impl Recorder {
    /// Creates the file (and its folder) and writes the header.
    pub fn create(path: &Path, header: &Header) -> std::io::Result<Recorder> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let mut out = BufWriter::new(File::create(path)?);
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
    /// Linux), named after the workflow and the time.
    pub fn default_path(folder: Option<&Path>, workflow: &str) -> PathBuf {
        let dir = match folder {
            Some(folder) => folder.to_path_buf(),
            None => directories::ProjectDirs::from("", "", "orch-tui").map_or_else(
                || PathBuf::from("orch-tui-runs"),
                |d| d.data_dir().join("runs"),
            ),
        };
        let stamp = humantime::format_rfc3339_millis(std::time::SystemTime::now())
            .to_string()
            .replace([':', '.'], "-");
        dir.join(format!("{workflow}-{stamp}.jsonl"))
    }
}
