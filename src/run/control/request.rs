//! A client's request for the run to act on, taken by the run with `Hub::take_requests` and
//! answered with `Request::answer`; the answer goes back to the client as its `reply`.

use super::outbox::Outbox;
use super::peer::Peer;
use crate::engine::event::PlanChange;
use crate::run::wire::{ClockAction, ServerMessage, message_line};
use std::sync::Arc;

/// What the client asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum RequestBody {
    Decide {
        blocker: String,
        option: usize,
    },
    Replan(PlanChange),
    Acknowledge(String),
    /// The projected finish of each option of this blocker.
    Project(String),
    Clock(ClockAction),
    Stop,
}

pub struct Request {
    pub peer: Peer,
    pub body: RequestBody,
    pub(super) id: u64,
    pub(super) client: Arc<Outbox>,
}

impl Request {
    /// Sends the reply: `Ok(result)` or `Err(the reason, shown to the person as it is)`.
    pub fn answer(self, result: Result<serde_json::Value, String>) {
        self.client.send(reply_line(self.id, result));
    }
}

/// However a request ends (answered, or dropped unanswered), its client stops waiting for it.
impl Drop for Request {
    fn drop(&mut self) {
        self.client.replied();
    }
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("peer", &self.peer)
            .field("body", &self.body)
            .field("id", &self.id)
            .finish()
    }
}

/// The reply line to request `id`.
pub(super) fn reply_line(id: u64, result: Result<serde_json::Value, String>) -> String {
    let (ok, result, error) = match result {
        Ok(value) => (true, Some(value), None),
        Err(reason) => (false, None, Some(reason)),
    };
    message_line(&ServerMessage::Reply {
        id,
        ok,
        result,
        error,
    })
}
