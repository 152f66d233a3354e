//! Who is at the other end of a connection: the user the kernel names for the socket
//! (`SO_PEERCRED`) and where they say they are (a terminal, or the host of an ssh connection).

use crate::sanitise::sanitise_line;
use nix::sys::socket::{getsockopt, sockopt::PeerCredentials};
use nix::unistd::{Uid, User, getuid};
use std::os::unix::net::UnixStream;

/// The longest `at` kept from a hello.
const MAX_AT: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Peer {
    pub user: String,
    pub at: String,
}

impl Peer {
    /// `user@at`, or the user alone when the client said nothing of where it is.
    pub fn label(&self) -> String {
        if self.at.is_empty() {
            self.user.clone()
        } else {
            format!("{}@{}", self.user, self.at)
        }
    }

    /// The person at this process's own terminal.
    pub fn local() -> Peer {
        Peer::new(getuid(), &here())
    }

    /// The peer of uid `uid`, at `at` as a client gave it (made one short, plain line).
    pub(super) fn new(uid: Uid, at: &str) -> Peer {
        let user = match User::from_uid(uid) {
            Ok(Some(user)) => user.name,
            _ => uid.to_string(),
        };
        let at: String = sanitise_line(at).chars().take(MAX_AT).collect();
        Peer { user, at }
    }
}

/// The uid of the process at the other end of `stream`.
pub(super) fn peer_uid(stream: &UnixStream) -> std::io::Result<Uid> {
    let cred = getsockopt(stream, PeerCredentials)?;
    Ok(Uid::from_raw(cred.uid()))
}

/// Where this process's person is: the host an ssh connection came from, else the terminal on
/// stdin (`pts/3`), else nothing.
pub fn here() -> String {
    if let Some(from) = std::env::var("SSH_CONNECTION")
        .ok()
        .and_then(|c| c.split_whitespace().next().map(str::to_string))
    {
        return from;
    }
    std::fs::read_link("/proc/self/fd/0")
        .ok()
        .map(|tty| tty.display().to_string())
        .and_then(|tty| tty.strip_prefix("/dev/").map(str::to_string))
        .filter(|tty| tty.starts_with("pts/") || tty.starts_with("tty"))
        .unwrap_or_default()
}
