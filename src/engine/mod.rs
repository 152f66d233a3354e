//! The run engine: the event vocabulary, the state folded from it, the scheduler policy, the
//! simulated agents and the engine that drives them, what it exchanges with the drivers of real
//! agents, and the end-of-run summary.

pub mod agent_io;
pub mod core;
pub mod describe;
pub mod event;
pub mod scheduler;
pub mod sim;
pub mod state;
pub mod summary;

pub use self::core::{DecideMode, Engine, RunOptions};
pub use agent_io::{AgentReport, AgentRequest, Exit, Launch, RaisedBlocker};
pub use event::{Actor, Event, EventBody};
pub use state::State;
pub use summary::{RunStatus, Summary};
