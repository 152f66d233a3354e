//! The state's index of task statuses: how many nodes are in each status, and which are ready
//! (in node order). The reducer keeps it in step with every status it writes, so the engine's
//! per-step questions (has every task ended? which tasks wait for an agent?) cost nothing like
//! a scan of all nodes, however long the run.

use super::TaskStatus;
use std::collections::BTreeSet;

const STATUSES: usize = 7;

#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Tally {
    counts: [usize; STATUSES],
    ready: BTreeSet<usize>,
}

impl Tally {
    /// A new node `t` in `status`.
    pub(super) fn add(&mut self, t: usize, status: TaskStatus) {
        self.counts[status as usize] += 1;
        if status == TaskStatus::Ready {
            self.ready.insert(t);
        }
    }

    /// Node `t` moves from status `from` to `to`.
    pub(super) fn change(&mut self, t: usize, from: TaskStatus, to: TaskStatus) {
        if from == to {
            return;
        }
        self.counts[from as usize] -= 1;
        if from == TaskStatus::Ready {
            self.ready.remove(&t);
        }
        self.add(t, to);
    }

    pub(super) fn count(&self, status: TaskStatus) -> usize {
        self.counts[status as usize]
    }

    /// The ready nodes, in node order.
    pub(super) fn ready(&self) -> impl DoubleEndedIterator<Item = usize> + Clone + '_ {
        self.ready.iter().copied()
    }
}
