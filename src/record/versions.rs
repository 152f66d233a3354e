//! The versions of the recording format and what each added. A version only adds (an event
//! kind, or a field with a default), so this build reads every older version; to verify an
//! older recording, the re-run is seen as that version would have written it: each field added
//! later is left out on both sides before comparing. To add a field: bump `VERSION` and list it
//! in `ADDED_FIELDS` with the new version; to add a kind, bump `VERSION` (older recordings
//! cannot hold it, so nothing else is needed).

use crate::engine::event::Event;
use serde_json::Value;

/// The recording format version this build writes.
pub const VERSION: u32 = 3;
/// The oldest version this build reads.
pub const OLDEST: u32 = 1;

/// A field that a version added: the version, the event kind, and its path in the event's JSON
/// (`*` steps into every element of a list).
struct Added {
    version: u32,
    kind: &'static str,
    path: &'static [&'static str],
}

/// Version 2 added the per-agent figures of the summary beyond busy time and counts; version 3
/// who made a person's decisions and changes of plan.
const ADDED_FIELDS: &[Added] = &[
    Added {
        version: 3,
        kind: "decision_made",
        path: &["who"],
    },
    Added {
        version: 3,
        kind: "plan_changed",
        path: &["who"],
    },
    Added {
        version: 2,
        kind: "run_finished",
        path: &["summary", "agents", "*", "mean_completion_ms"],
    },
    Added {
        version: 2,
        kind: "run_finished",
        path: &["summary", "agents", "*", "tasks_run"],
    },
    Added {
        version: 2,
        kind: "run_finished",
        path: &["summary", "agents", "*", "escalations"],
    },
    Added {
        version: 2,
        kind: "run_finished",
        path: &["summary", "agents", "*", "escalation_rate_pct"],
    },
    Added {
        version: 2,
        kind: "run_finished",
        path: &["summary", "agents", "*", "activity_pct"],
    },
];

/// The event as a recording of `version` holds it (the wall-clock stamp aside): the fields
/// added after `version` removed.
pub fn as_of(version: u32, event: &Event) -> Value {
    let mut value = serde_json::to_value(Event {
        wall_ms: None,
        ..event.clone()
    })
    .unwrap_or(Value::Null);
    for added in ADDED_FIELDS
        .iter()
        .filter(|a| a.version > version && a.kind == event.body.kind())
    {
        remove(&mut value, added.path);
    }
    value
}

fn remove(value: &mut Value, path: &[&str]) {
    match (path, value) {
        ([last], Value::Object(map)) => {
            map.remove(*last);
        }
        (["*", rest @ ..], Value::Array(items)) => {
            items.iter_mut().for_each(|item| remove(item, rest));
        }
        ([step, rest @ ..], Value::Object(map)) => {
            if let Some(inner) = map.get_mut(*step) {
                remove(inner, rest);
            }
        }
        _ => {}
    }
}
