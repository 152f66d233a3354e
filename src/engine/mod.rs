//! The run engine: the event vocabulary, the state folded from it, the scheduler policy, the
//! simulated agents and the engine that drives them, what it exchanges with the drivers of real
//! agents, and the end-of-run summary.

pub mod agent_io;
mod alert_watch;
pub mod alerts;
pub mod concerns;
pub mod core;
pub mod describe;
pub mod doings;
pub mod escalation;
pub mod event;
pub mod metrics;
mod plan_fold;
pub mod prompt;
pub mod review;
pub mod scheduler;
pub mod sim;
pub mod spend;
pub mod state;
pub mod steer;
pub mod summary;
mod work_fold;

pub use self::core::{DecideMode, Engine, RunOptions};

/// The hash map of the engine's hot paths: every event looks up its task (by id in the state,
/// by index in the simulation), so these maps use a fast hasher.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

pub use agent_io::{AgentReport, AgentRequest, Exit, Launch, RaisedBlocker};
pub use event::{Actor, Event, EventBody};
pub use state::State;
pub use summary::{RunStatus, Summary};
