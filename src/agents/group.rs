//! A command agent's process group: every attempt runs as the leader of a group of its own, and
//! the whole group is ended with the attempt — SIGTERM, then SIGKILL after a grace period — and
//! reaped. orch-tui makes itself a child subreaper, so processes an agent left behind when its
//! leader exited are re-parented to orch-tui rather than to init, and reaped here: no zombie and
//! no orphan outlives the attempt.

use nix::errno::Errno;
use nix::sys::signal::{Signal, killpg};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::Pid;
use std::time::{Duration, Instant};

/// How long a group gets between SIGTERM and SIGKILL.
pub const GRACE: Duration = Duration::from_secs(2);
/// How long to wait for a group to vanish after SIGKILL (it only outlives this in
/// uninterruptible sleep).
const AFTER_KILL: Duration = Duration::from_secs(5);
const POLL: Duration = Duration::from_millis(10);

/// Makes processes orphaned by an agent come to this process, to be reaped with their group.
pub fn adopt_orphans() {
    // Without it (an old kernel), orphans go to init, which reaps them: nothing is lost but the
    // guarantee that they are gone by the time the attempt ends.
    let _ = nix::sys::prctl::set_child_subreaper(true);
}

/// The process group of one attempt, named by its leader's pid.
#[derive(Debug, Clone, Copy)]
pub struct Group {
    pgid: Pid,
}

impl Group {
    pub fn new(leader_pid: u32) -> Group {
        Group {
            pgid: Pid::from_raw(leader_pid as i32),
        }
    }

    /// Sends `signal` to every process of the group; false when none is left.
    pub fn signal(&self, signal: Signal) -> bool {
        killpg(self.pgid, signal) != Err(Errno::ESRCH)
    }

    /// Whether no process of the group exists any more (zombies count until reaped).
    fn is_gone(&self) -> bool {
        killpg(self.pgid, None) == Err(Errno::ESRCH)
    }

    /// Reaps the members that became this process's children (orphans adopted as subreaper).
    /// Call only once the leader has been reaped, so as not to take its status from its owner.
    fn reap_adopted(&self) {
        let members = Pid::from_raw(-self.pgid.as_raw());
        while let Ok(status) = waitpid(members, Some(WaitPidFlag::WNOHANG)) {
            if status == WaitStatus::StillAlive {
                break;
            }
        }
    }

    /// Ends what is left of the group after its leader was reaped: SIGTERM, SIGKILL after the
    /// grace period, reaping what comes back to this process.
    pub async fn end_leftovers(&self) {
        if self.is_gone() {
            return;
        }
        self.signal(Signal::SIGTERM);
        if self.wait_gone(GRACE).await {
            return;
        }
        self.signal(Signal::SIGKILL);
        self.wait_gone(AFTER_KILL).await;
    }

    async fn wait_gone(&self, limit: Duration) -> bool {
        let end = Instant::now() + limit;
        loop {
            self.reap_adopted();
            if self.is_gone() {
                return true;
            }
            if Instant::now() >= end {
                return false;
            }
            tokio::time::sleep(POLL).await;
        }
    }
}
