//! Drives the real binary in a real terminal: a private tmux server (its own socket, so tests
//! never touch a user's sessions), keys sent with `send-keys`, the screen read with
//! `capture-pane`. tmux answers the terminal queries crossterm makes at start-up.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

pub struct Tmux {
    socket: String,
    pub dir: tempfile::TempDir,
}

pub const BIN: &str = env!("CARGO_BIN_EXE_orch-tui");

impl Tmux {
    /// Starts a command (run by `sh -c`; built from the session's own folder, where it may put
    /// files) in a detached session of the given size. Its exit status is written to `exit` in
    /// that folder, then the shell waits so the pane stays readable.
    pub fn start(
        name: &str,
        width: u16,
        height: u16,
        command: impl FnOnce(&Path) -> String,
    ) -> Tmux {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let socket = format!("orch-tui-test-{name}-{}", std::process::id());
        let exit = dir.path().join("exit");
        let command = command(dir.path());
        // An empty user config, so a developer's own settings never change what a test sees.
        let script = format!(
            "export ORCH_TUI_CONFIG=/dev/null; {command}; echo $? > {}; sleep 60",
            exit.display()
        );
        let tmux = Tmux { socket, dir };
        let status = tmux
            .cmd(&[
                "new-session",
                "-d",
                "-s",
                "t",
                "-x",
                &width.to_string(),
                "-y",
                &height.to_string(),
                "sh",
                "-c",
                &script,
            ])
            .status
            .success();
        assert!(status, "tmux could not start a session; is tmux installed?");
        tmux
    }

    fn cmd(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .env_remove("TMUX")
            .output()
            .expect("tmux runs (the CI installs it)")
    }

    pub fn path(&self, file: &str) -> PathBuf {
        self.dir.path().join(file)
    }

    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.cmd(&["capture-pane", "-p", "-t", "t"]).stdout).into_owned()
    }

    /// The screen with everything that scrolled off it.
    pub fn history(&self) -> String {
        String::from_utf8_lossy(
            &self
                .cmd(&["capture-pane", "-p", "-S", "-", "-t", "t"])
                .stdout,
        )
        .into_owned()
    }

    pub fn send(&self, keys: &str) {
        self.cmd(&["send-keys", "-t", "t", keys]);
    }

    /// A tmux format value for the pane, e.g. `#{alternate_on}`.
    pub fn display(&self, format: &str) -> String {
        String::from_utf8_lossy(
            &self
                .cmd(&["display-message", "-p", "-t", "t", format])
                .stdout,
        )
        .trim()
        .to_string()
    }

    /// Waits until the screen contains `text`; returns the screen. Panics with the screen after
    /// `timeout`.
    pub fn wait_for(&self, text: &str, timeout: Duration) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                start.elapsed() < timeout,
                "waited {timeout:?} for {text:?}; the screen shows:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits for the command to end and returns its exit status.
    pub fn exit_code(&self, timeout: Duration) -> i32 {
        let file = self.path("exit");
        let start = Instant::now();
        loop {
            if let Ok(text) = std::fs::read_to_string(&file)
                && let Ok(code) = text.trim().parse()
            {
                return code;
            }
            assert!(
                start.elapsed() < timeout,
                "the program did not exit within {timeout:?}; the screen shows:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Closes the session's terminal under the program, as when its window is closed.
    pub fn kill_session(&self) {
        self.cmd(&["kill-session", "-t", "t"]);
    }

    /// The process id of the program the pane's shell started.
    pub fn program_pid(&self) -> Option<u32> {
        let shell = self.display("#{pane_pid}");
        let out = Command::new("pgrep").args(["-P", &shell]).output().ok()?;
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()?
            .trim()
            .parse()
            .ok()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.cmd(&["kill-server"]);
    }
}

/// The events of a recording, as JSON values (the header line skipped).
pub fn recorded_events(path: &Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(path).expect("the run was recorded");
    text.lines()
        .skip(1)
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// A shell-quoted path.
pub fn quoted(path: &Path) -> String {
    format!("'{}'", path.display())
}
