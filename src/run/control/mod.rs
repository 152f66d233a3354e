//! The control socket of a run (`docs/control.md`): the `Hub` a run opens to let clients watch
//! and steer it, the `Connection` a client speaks through (a local socket, or the stdio of
//! `ssh HOST orch-tui bridge RUN`), the per-user folder where each run's socket and `ls` entry
//! live, and the resolution of a RUN argument to one of them.

mod client;
mod entry;
mod folder;
pub mod follow;
mod hub;
mod lines;
mod outbox;
mod peer;
mod request;
mod resolve;
mod serve;
mod shared;
mod view;

pub use client::Connection;
pub use entry::{Listing, Liveness, RunEntry, list_runs};
pub use folder::{run_folder, socket_path};
pub use hub::Hub;
pub use peer::{Peer, here};
pub use request::{Request, RequestBody};
pub use resolve::resolve;
pub use view::{OpenBlocker, RunView};

/// Called by the hub when a request waits in `Hub::take_requests`.
pub type Wake = std::sync::Arc<dyn Fn() + Send + Sync>;

/// A short, readable run id: the workflow's name as a slug and four hex digits, e.g.
/// `analytics-3f2a`, unused in the run folder when it can be read.
pub fn new_run_id(workflow: &str) -> String {
    let slug = slug(workflow);
    let taken = |id: &str| {
        run_folder().is_ok_and(|dir| {
            dir.join(format!("{id}.json")).exists() || dir.join(format!("{id}.sock")).exists()
        })
    };
    loop {
        let id = format!("{slug}-{:04x}", rand::random::<u16>());
        if !taken(&id) {
            return id;
        }
    }
}

/// Lowercase letters and digits, other runs of characters as one `-`, at most 24 characters.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 24 {
            break;
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "run".to_string()
    } else {
        out.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn slugs_are_short_and_plain() {
        assert_eq!(slug("Analytics Dashboard"), "analytics-dashboard");
        assert_eq!(slug("../../etc"), "etc");
        assert_eq!(slug("日本"), "run");
        assert!(slug(&"x".repeat(100)).len() <= 24);
    }
}
