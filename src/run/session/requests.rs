//! The requests clients of the control socket make, carried out by the session as it advances:
//! decisions (recorded with who made them; a blocker decided already is refused with who did),
//! changes of plan, acknowledgements, projections, clock changes and stop. Each is answered
//! on the client's connection, and what it did is kept as a notice for the front end to show.

use super::Session;
use crate::run::control::RequestBody;
use serde_json::{Value, json};

impl Session {
    /// Carries out the requests that wait on the control socket, oldest first.
    pub(super) fn answer_requests(&mut self) {
        let Some(hub) = &self.hub else { return };
        let requests = hub.take_requests();
        let mut stop = false;
        for request in requests {
            let who = request.peer.label();
            let outcome = match &request.body {
                RequestBody::Decide { blocker, option } => self
                    .decide_as(blocker, *option, &who)
                    .map(|done| self.noted(done)),
                RequestBody::Replan(change) => self
                    .replan_as(change.clone(), &who)
                    .map(|done| self.noted(format!("{done} by {who}"))),
                RequestBody::Acknowledge(alert) => self
                    .acknowledge(alert)
                    .map(|done| self.noted(format!("{done} by {who}"))),
                RequestBody::Project(blocker) => Ok(json!(self.project(blocker))),
                RequestBody::Clock(action) => self.clock_action(*action).map(|()| Value::Null),
                RequestBody::Stop if self.is_finished() => Err("the run has finished".into()),
                RequestBody::Stop => {
                    stop = true;
                    self.notices.push(format!("■ the run was stopped by {who}"));
                    Ok(Value::Null)
                }
            };
            request.answer(outcome);
        }
        if stop {
            self.stop();
        }
    }

    /// Keeps `text` as a notice, and answers with it.
    fn noted(&mut self, text: String) -> Value {
        self.notices.push(text.clone());
        json!({ "text": text })
    }
}
