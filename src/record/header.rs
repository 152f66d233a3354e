//! The first line of a recording: the format name and version, the resolved workflow, the seed
//! and the decision mode, so a recording alone is enough to replay or re-verify a run.

use crate::engine::DecideMode;
use crate::workflow::Workflow;
use serde::{Deserialize, Serialize};

pub use super::versions::VERSION;

pub const FORMAT: &str = "orch-tui-run";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub version: u32,
    pub workflow: Workflow,
    pub seed: u64,
    pub started_at: String,
    pub decide: DecideMode,
}

impl Header {
    pub fn new(workflow: Workflow, seed: u64, decide: DecideMode) -> Header {
        Header {
            format: FORMAT.into(),
            version: VERSION,
            workflow,
            seed,
            started_at: humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
            decide,
        }
    }
}
