//! The run layer: what owns a run while it goes on (the engine, the recorder, the agents' link
//! and the clock) and the control socket through which front ends — the dashboard, the
//! headless printer, `attach` from another terminal or over ssh, and the one-shot commands
//! `ls`, `status`, `decide` and `stop` — watch and steer it.

pub mod clock;
pub mod control;
pub mod session;
pub mod wire;
