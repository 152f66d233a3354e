//! What the hub and the threads serving its clients share: the run's identity, its header and
//! event lines with their fold (for `info` and catch-ups), the clients' outboxes, the requests
//! waiting for the run, and whether the run is closing or lost its owning dashboard.

use super::Wake;
use super::outbox::{CatchUp, Line, Outbox};
use super::request::Request;
use super::view::RunView;
use crate::engine::State;
use crate::run::wire::{RunInfo, ServerMessage, message_line};
use nix::unistd::Uid;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// Requests waiting for the run before new ones are refused as `busy`.
const MAX_REQUESTS: usize = 1024;

pub(super) struct Shared {
    pub info: RunInfo,
    pub uid: Uid,
    pub wake: Wake,
    pub log: Mutex<Log>,
    pub requests: Mutex<VecDeque<Request>>,
    pub closing: AtomicBool,
    /// The dashboard that owned the run left without detaching it.
    pub owner_lost: AtomicBool,
}

pub(super) struct Log {
    /// The header's line.
    pub header: Arc<str>,
    /// Every event's line so far.
    pub lines: Vec<Arc<str>>,
    /// The events folded.
    pub state: State,
    /// The latest clock line.
    pub clock: Option<Arc<str>>,
    pub clients: Vec<Arc<Outbox>>,
}

impl Shared {
    pub fn lock_log(&self) -> MutexGuard<'_, Log> {
        self.log.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn lock_requests(&self) -> MutexGuard<'_, VecDeque<Request>> {
        self.requests.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn viewers(&self) -> usize {
        self.lock_log()
            .clients
            .iter()
            .filter(|c| c.is_watching())
            .count()
    }

    /// The run as `info` and `ls` show it.
    pub fn view(&self) -> RunView {
        let viewers = self.viewers();
        RunView::of(&self.info, &self.lock_log().state, viewers)
    }

    /// Serves a new client, or refuses it when there are `max` already (false).
    pub fn register(&self, client: &Arc<Outbox>, max: usize) -> bool {
        let mut log = self.lock_log();
        log.clients.retain(|c| !c.is_gone());
        if log.clients.len() >= max {
            return false;
        }
        log.clients.push(client.clone());
        true
    }

    pub fn unregister(&self, client: &Arc<Outbox>) {
        self.lock_log().clients.retain(|c| !Arc::ptr_eq(c, client));
    }

    /// Says hello, and when the client watches, owes it the catch-up: no event can be
    /// published between the two.
    pub fn hello(&self, client: &Outbox, hello: String, watch: bool) {
        let _log = self.lock_log();
        client.greet(hello, watch);
    }

    /// The catch-up lines: `resync` when owed, the header, every event, `live`, the clock.
    pub fn catch_up(&self, client: &Outbox, kind: CatchUp) -> Vec<Line> {
        let log = self.lock_log();
        client.lock().caught_up();
        let mut lines = Vec::with_capacity(log.lines.len() + 4);
        if kind == CatchUp::Resync {
            lines.push(Line::Own(message_line(&ServerMessage::Resync)));
        }
        lines.push(Line::Shared(log.header.clone()));
        lines.extend(log.lines.iter().cloned().map(Line::Shared));
        lines.push(Line::Own(message_line(&ServerMessage::Live)));
        if let Some(clock) = &log.clock {
            lines.push(Line::Shared(clock.clone()));
        }
        lines
    }

    /// The owning dashboard left without detaching: the run is told.
    pub fn lose_owner(&self) {
        self.owner_lost.store(true, Ordering::SeqCst);
        (self.wake)();
    }

    /// Queues a request for the run and wakes it; false when too many wait already.
    pub fn request(&self, request: Request) -> Result<(), Request> {
        let mut requests = self.lock_requests();
        if requests.len() >= MAX_REQUESTS {
            return Err(request);
        }
        requests.push_back(request);
        drop(requests);
        (self.wake)();
        Ok(())
    }
}
