//! A real OpenSSH server on 127.0.0.1 for launcher tests: its own host key, user key, config
//! and port in a temporary folder, run in the foreground (`sshd -D`) as the current user and
//! killed when the guard drops. `ssh_argv` gives the client side, with no user config, no known
//! hosts and no prompts.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SSHD: &str = "/usr/sbin/sshd";

pub struct Sshd {
    child: Child,
    port: u16,
    pub dir: tempfile::TempDir,
}

impl Sshd {
    /// Starts the server and waits until a login works.
    pub fn start() -> Sshd {
        assert!(
            Path::new(SSHD).exists(),
            "{SSHD} is missing: install openssh-server (.ci/run does)"
        );
        // sshd refuses to start without its privilege separation folder.
        if !Path::new("/run/sshd").exists() {
            std::fs::create_dir_all("/run/sshd").expect("/run/sshd can be made (run as root)");
        }
        let dir = tempfile::tempdir().expect("a temporary folder");
        for key in ["host_key", "user_key"] {
            let made = Command::new("ssh-keygen")
                .args(["-q", "-t", "ed25519", "-N", "", "-f"])
                .arg(dir.path().join(key))
                .status()
                .expect("ssh-keygen runs");
            assert!(made.success(), "ssh-keygen made {key}");
        }
        std::fs::copy(
            dir.path().join("user_key.pub"),
            dir.path().join("authorized_keys"),
        )
        .expect("the user key is authorized");
        let config = dir.path().join("sshd_config");
        std::fs::write(
            &config,
            format!(
                "ListenAddress 127.0.0.1\nHostKey {}\nAuthorizedKeysFile {}\nPermitRootLogin prohibit-password\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\nPidFile none\n",
                dir.path().join("host_key").display(),
                dir.path().join("authorized_keys").display()
            ),
        )
        .expect("the config is written");
        let port = free_port();
        let child = Command::new(SSHD)
            .arg("-D")
            .arg("-f")
            .arg(&config)
            .args(["-p", &port.to_string(), "-E"])
            .arg(dir.path().join("sshd.log"))
            .stdin(Stdio::null())
            .spawn()
            .expect("sshd starts");
        let sshd = Sshd { child, port, dir };
        sshd.wait_for_login();
        sshd
    }

    /// `ssh` with its options to this server, followed by `remote` (the remote command's words).
    pub fn ssh_argv(&self, remote: &[&str]) -> Vec<String> {
        let key = self.dir.path().join("user_key");
        let mut argv: Vec<String> = [
            "ssh",
            "-F",
            "/dev/null",
            "-i",
            &key.display().to_string(),
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "BatchMode=yes",
            "-o",
            "LogLevel=ERROR",
            "-p",
            &self.port.to_string(),
            "127.0.0.1",
        ]
        .map(String::from)
        .to_vec();
        argv.extend(remote.iter().map(|w| w.to_string()));
        argv
    }

    fn wait_for_login(&self) {
        let start = Instant::now();
        loop {
            let argv = self.ssh_argv(&["true"]);
            let ok = Command::new(&argv[0])
                .args(&argv[1..])
                .stdin(Stdio::null())
                .output()
                .is_ok_and(|o| o.status.success());
            if ok {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "no login to sshd; its log:\n{}",
                std::fs::read_to_string(self.log()).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn log(&self) -> PathBuf {
        self.dir.path().join("sshd.log")
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nobody listens on now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on 127.0.0.1")
}
