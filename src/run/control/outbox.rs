//! What waits to be written to one client: replies and errors (bounded: a client that never
//! reads them is dropped), the events of a watching client (bounded: past the bound the queue is
//! dropped and the client is resynced from the hub's lines when it reads again), and the
//! catch-up owed to it. `publish` only ever pushes here, so it never waits on a client.
//!
//! Events that come within `GATHER` of the last write to a client wait to be written with the
//! next ones: a run publishing thousands of events a second costs each viewer one wake-up and
//! one write per `GATHER`, not one per event, and a viewer (which draws at most once a frame)
//! still has every event within a frame. Replies, errors, a catch-up and the last line are
//! written at once, with whatever events wait.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Events queued for one viewer before it is resynced instead.
pub const EVENT_QUEUE: usize = 4096;
/// Replies and errors queued for one client before it is dropped.
const DIRECT_QUEUE: usize = 256;
/// How long after a write to a client events wait to be written together (half a frame).
pub const GATHER: Duration = Duration::from_millis(8);

/// What the writer waits for, so that `publish` wakes it only when it must.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Waiting {
    /// Not waiting: it looks at the queue before it waits again.
    #[default]
    No,
    /// Anything to write.
    Idle,
    /// The end of `GATHER`, or something to write at once.
    Gathering,
}

/// Which catch-up a viewer is owed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatchUp {
    First,
    Resync,
}

/// A line to write.
pub enum Line {
    Own(String),
    Shared(Arc<str>),
}

impl Line {
    pub fn bytes(&self) -> &[u8] {
        match self {
            Line::Own(s) => s.as_bytes(),
            Line::Shared(s) => s.as_bytes(),
        }
    }
}

/// What the writer does next.
pub enum Next {
    Lines(Vec<Line>),
    CatchUp(CatchUp),
    /// The last line, then the connection ends.
    Bye(String),
    End,
}

/// Whether a client owns the run: the dashboard that started it, until it detaches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Owner {
    #[default]
    No,
    Owning,
}

#[derive(Default)]
pub struct Inner {
    pub owner: Owner,
    /// Requests of this client the run has not answered yet: a client that stops sending
    /// still gets their replies before its connection ends.
    awaiting: usize,
    direct: VecDeque<String>,
    events: VecDeque<Arc<str>>,
    catch_up: Option<CatchUp>,
    watching: bool,
    bye: Option<String>,
    gone: bool,
    written: bool,
    waiting: Waiting,
}

#[derive(Default)]
pub struct Outbox {
    inner: Mutex<Inner>,
    changed: Condvar,
}

impl Outbox {
    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A reply or an error. False when the client has too many unread and is dropped.
    pub fn send(&self, line: String) -> bool {
        let mut inner = self.lock();
        if inner.direct.len() >= DIRECT_QUEUE {
            inner.gone = true;
        } else if !inner.gone {
            inner.direct.push_back(line);
        }
        let kept = !inner.gone;
        drop(inner);
        self.changed.notify_all();
        kept
    }

    /// The hello, and for a viewer the first catch-up owed after it: both at once, so the
    /// writer cannot take the one and sleep through the other.
    pub fn greet(&self, hello: String, watch: bool) {
        let mut inner = self.lock();
        inner.direct.push_back(hello);
        if watch {
            inner.watching = true;
            inner.catch_up = Some(CatchUp::First);
        }
        drop(inner);
        self.changed.notify_all();
    }

    /// Event lines for a watching client; dropped when it is owed a catch-up anyway. Wakes the
    /// writer only when it waits for them.
    pub fn push_events(&self, lines: &[Arc<str>]) {
        let mut inner = self.lock();
        if !inner.watching || inner.gone || inner.catch_up.is_some() {
            return;
        }
        for line in lines {
            if inner.events.len() >= EVENT_QUEUE {
                inner.events = VecDeque::new();
                inner.catch_up = Some(CatchUp::Resync);
                break;
            }
            inner.events.push_back(line.clone());
        }
        let wake = match inner.waiting {
            Waiting::No => false,
            Waiting::Idle => true,
            Waiting::Gathering => inner.urgent(),
        };
        drop(inner);
        if wake {
            self.changed.notify_all();
        }
    }

    /// A request of this client went to the run: its reply is owed.
    pub fn expect_reply(&self) {
        self.lock().awaiting += 1;
    }

    /// The run is done with one of this client's requests.
    pub fn replied(&self) {
        let mut inner = self.lock();
        inner.awaiting = inner.awaiting.saturating_sub(1);
        drop(inner);
        self.changed.notify_all();
    }

    /// Watching, and not leaving.
    pub fn is_watching(&self) -> bool {
        let inner = self.lock();
        inner.watching && !inner.gone
    }

    /// The ending line: written once everything queued before it is.
    pub fn bye(&self, line: String) {
        self.lock().bye = Some(line);
        self.changed.notify_all();
    }

    /// The client stopped sending: what is queued now is written, then the connection ends.
    pub fn leave(&self) {
        let mut inner = self.lock();
        inner.watching = false;
        inner.catch_up = None;
        if inner.bye.is_none() {
            inner.bye = Some(String::new());
        }
        drop(inner);
        self.changed.notify_all();
    }

    pub fn is_gone(&self) -> bool {
        self.lock().gone
    }

    /// Waits for something to write; until `gathered` (the end of `GATHER` after the last
    /// write), only for something urgent, so that events published meanwhile neither wake the
    /// writer nor go alone.
    pub fn next(&self, gathered: Instant) -> Next {
        let mut inner = self.lock();
        loop {
            if inner.gone {
                return Next::End;
            }
            let early = gathered.saturating_duration_since(Instant::now());
            if !early.is_zero() && !inner.urgent() {
                inner.waiting = Waiting::Gathering;
                inner = match self.changed.wait_timeout(inner, early) {
                    Ok((guard, _)) => guard,
                    Err(p) => p.into_inner().0,
                };
                inner.waiting = Waiting::No;
                continue;
            }
            if !inner.direct.is_empty() || !inner.events.is_empty() {
                let mut lines: Vec<Line> = inner.direct.drain(..).map(Line::Own).collect();
                lines.extend(inner.events.drain(..).map(Line::Shared));
                return Next::Lines(lines);
            }
            if let Some(kind) = inner.catch_up {
                return Next::CatchUp(kind);
            }
            if inner.awaiting == 0
                && let Some(bye) = inner.bye.take()
            {
                inner.gone = true;
                return Next::Bye(bye);
            }
            inner.waiting = Waiting::Idle;
            inner = self.changed.wait(inner).unwrap_or_else(|p| p.into_inner());
            inner.waiting = Waiting::No;
        }
    }

    /// The writer finished with this client.
    pub fn finished_writing(&self) {
        let mut inner = self.lock();
        inner.gone = true;
        inner.written = true;
        drop(inner);
        self.changed.notify_all();
    }

    /// Waits until the writer finished, or `until` passes.
    pub fn wait_written(&self, until: Instant) {
        let mut inner = self.lock();
        while !inner.written {
            let left = until.saturating_duration_since(Instant::now());
            if left == Duration::ZERO {
                return;
            }
            inner = match self.changed.wait_timeout(inner, left) {
                Ok((guard, _)) => guard,
                Err(p) => p.into_inner().0,
            };
        }
    }
}

impl Inner {
    /// Something that is written at once, and the events waiting with it: a reply or error, a
    /// catch-up, the last line, or a queue half way to a resync.
    fn urgent(&self) -> bool {
        !self.direct.is_empty()
            || self.catch_up.is_some()
            || self.bye.is_some()
            || self.events.len() >= EVENT_QUEUE / 2
    }

    /// The catch-up is being written: events published after this go to the queue.
    pub fn caught_up(&mut self) {
        self.catch_up = None;
        self.events.clear();
    }
}
