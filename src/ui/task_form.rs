//! The add-task form's state: one text field per part of the new task (id, name, agent or role,
//! estimate, after, before), the field being typed in, and the reason the last try was refused.

use super::command::NewTask;
use crate::engine::event::PlanChange;
use crate::engine::state::State;

/// The fields' labels, in order.
pub const LABELS: [&str; 6] = ["id", "name", "agent or role", "estimate", "after", "before"];

#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaskForm {
    pub fields: [String; 6],
    pub focus: usize,
    pub error: Option<String>,
}

impl TaskForm {
    /// An empty form, the new task coming after `after` when one is given.
    pub fn new(after: Option<&str>) -> TaskForm {
        let mut form = TaskForm::default();
        form.fields[4] = after.unwrap_or_default().to_string();
        form
    }

    pub fn type_char(&mut self, c: char) {
        self.fields[self.focus].push(c);
        self.error = None;
    }

    pub fn erase(&mut self) {
        self.fields[self.focus].pop();
    }

    /// Moves to the next field (`forward`) or the previous one, round.
    pub fn move_focus(&mut self, forward: bool) {
        let n = self.fields.len();
        self.focus = (self.focus + if forward { 1 } else { n - 1 }) % n;
    }

    /// The change adding the task the form describes.
    pub fn to_change(&self, state: &State) -> Result<PlanChange, String> {
        let [id, name, who, estimate, after, before] = self.fields.clone();
        NewTask {
            id,
            name,
            who,
            estimate,
            after,
            before,
        }
        .to_change(state)
    }
}
