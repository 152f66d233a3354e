//! Recordings: every run is written as JSON Lines (a header line, then one event per line,
//! flushed as it happens) and can be read back, tolerating a truncated last line.

pub mod header;
pub mod inspect;
pub mod player;
pub mod reader;
pub mod verify;
pub mod versions;
pub mod writer;

pub use header::{FORMAT, Header, VERSION};
pub use reader::{Recording, read_recording};
pub use writer::Recorder;
