//! The dashboard's re-planning keys on a live run: the `:` command line, the add-task form, and
//! the one-key shortcuts that act on the selected task or agent (reassign and re-estimate open
//! the command line filled in; cancel asks for Enter there; retry and pause or resume act at
//! once). Each ends in an `Intent::Replan` for the driver; a replay only says it cannot.

use super::app::{App, Focus, Intent, Overlay};
use super::command;
use super::keys::Action;
use super::task_form::TaskForm;
use crate::engine::event::PlanChange;
use crate::engine::state::State;

impl App {
    /// Whether keys are being typed as text (a prompt, the command line or the add-task form).
    pub fn typing(&self) -> bool {
        self.prompt.is_some()
            || self.command.is_some()
            || matches!(self.overlay, Some(Overlay::AddTask(_)))
    }

    /// A key while the command line is open.
    pub(super) fn handle_command(&mut self, action: Action, state: &State) -> Intent {
        let Some(text) = &mut self.command else {
            return Intent::Nothing;
        };
        match action {
            Action::Type(c) => text.push(c),
            Action::Erase => {
                text.pop();
            }
            Action::Open => {
                let line = self.command.take().unwrap_or_default();
                return match command::parse(&line, state) {
                    Ok(change) => Intent::Replan(change),
                    Err(e) => {
                        self.toast(format!("✖ {e}"));
                        Intent::Nothing
                    }
                };
            }
            Action::Close => self.command = None,
            _ => {}
        }
        Intent::Nothing
    }

    /// A key while the add-task form is open.
    pub(super) fn handle_form(&mut self, action: Action, state: &State) -> Intent {
        let Some(Overlay::AddTask(form)) = &mut self.overlay else {
            return Intent::Nothing;
        };
        match action {
            Action::Type(c) => form.type_char(c),
            Action::Erase => form.erase(),
            Action::FocusNext => form.move_focus(true),
            Action::FocusPrev => form.move_focus(false),
            Action::Close => self.overlay = None,
            Action::Open => match form.to_change(state) {
                Ok(change) => return Intent::Replan(change),
                Err(e) => form.error = Some(e),
            },
            _ => {}
        }
        Intent::Nothing
    }

    /// A re-planning shortcut on the selected task or agent.
    pub(super) fn handle_steer(&mut self, action: Action, state: &State) -> Intent {
        if !self.can_decide {
            self.toast("a replay shows the plan as it was; it cannot change it");
            return Intent::Nothing;
        }
        let task = self
            .selected_task(state)
            .map(|t| state.nodes[t].task.id.clone());
        match (action, task) {
            (Action::Command, _) => self.command = Some(String::new()),
            (Action::AddTask, task) => {
                self.overlay = Some(Overlay::AddTask(TaskForm::new(task.as_deref())));
            }
            (Action::PauseAgent, _) => return self.pause_or_resume(state),
            (Action::Reassign, Some(t)) => self.command = Some(format!("reassign {t} ")),
            (Action::Cancel, Some(t)) => self.command = Some(format!("cancel {t}")),
            (Action::Estimate, Some(t)) => self.command = Some(format!("estimate {t} ")),
            (Action::Retry, Some(task)) => return Intent::Replan(PlanChange::Retry { task }),
            _ => self.toast("select a task first (graph, or an agent with a task)"),
        }
        Intent::Nothing
    }

    /// The agents panel's selected agent, or the agent of the selected task.
    fn pause_or_resume(&mut self, state: &State) -> Intent {
        let agent = match self.focus {
            Focus::Agents => Some(self.selected_agent),
            _ => self
                .selected_node
                .and_then(|t| state.nodes.get(t))
                .and_then(|n| n.agent),
        };
        let Some(a) = agent.and_then(|a| state.agents.get(a)) else {
            self.toast("select an agent first (Tab to the agents panel)");
            return Intent::Nothing;
        };
        let agent = a.agent.id.clone();
        Intent::Replan(if a.paused {
            PlanChange::ResumeAgent { agent }
        } else {
            PlanChange::PauseAgent { agent }
        })
    }

    /// The task the selection points at: the agents panel's agent's task, or the graph's node.
    pub(super) fn selected_task(&self, state: &State) -> Option<usize> {
        let task = match self.focus {
            Focus::Agents => state
                .agents
                .get(self.selected_agent)
                .and_then(|a| a.task.or(a.last_task)),
            _ => self.selected_node,
        };
        task.filter(|&t| t < state.nodes.len())
    }
}
