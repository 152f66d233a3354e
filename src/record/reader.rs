//! Reads a recording back, strictly where it matters and tolerantly where a crash could have
//! left a mark: a truncated last line is dropped with a warning, while a bad line in the middle,
//! a gap in `seq`, time going backwards or an unknown format version is an error naming the
//! line. Reading never runs anything the recording names.

use super::{FORMAT, Header, VERSION};
use crate::engine::Event;
use crate::error::InputError;
use std::path::Path;

#[derive(Debug, Clone)]
pub struct Recording {
    pub header: Header,
    pub events: Vec<Event>,
    /// Problems that did not stop the reading (a truncated last line).
    pub warnings: Vec<String>,
}

pub fn read_recording(path: &Path) -> Result<Recording, InputError> {
    let label = path.display().to_string();
    let text = std::fs::read(path)
        .map_err(|e| InputError::new(&label, format!("cannot read the recording: {e}")))?;
    let text = String::from_utf8_lossy(&text);
    parse_recording(&text, &label)
}

pub fn parse_recording(text: &str, label: &str) -> Result<Recording, InputError> {
    let mut lines = text.split_inclusive('\n').enumerate();
    let Some((_, first)) = lines.next().filter(|(_, l)| !l.trim().is_empty()) else {
        return Err(InputError::new(
            label,
            "the recording is empty; record a run with `orch-tui run FILE`",
        ));
    };
    let header = parse_header(first, label)?;
    let mut events: Vec<Event> = Vec::new();
    let mut warnings = Vec::new();
    let mut lines = lines.peekable();
    while let Some((i, line)) = lines.next() {
        let number = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let event: Event = match serde_json::from_str(line) {
            Ok(e) => e,
            Err(e) if lines.peek().is_none() && !line.ends_with('\n') => {
                warnings.push(format!(
                    "{label}:{number}: the last line is cut short ({e}); replaying up to the event before it"
                ));
                break;
            }
            Err(e) => {
                return Err(InputError::at_line(
                    label,
                    number,
                    format!("not a valid event: {e}"),
                ));
            }
        };
        let expected = events.last().map_or(1, |p| p.seq + 1);
        if event.seq != expected {
            return Err(InputError::at_line(
                label,
                number,
                format!(
                    "event seq {} where {expected} was expected; the recording has a gap or was edited",
                    event.seq
                ),
            ));
        }
        if let Some(prev) = events.last().filter(|p| event.at_ms < p.at_ms) {
            return Err(InputError::at_line(
                label,
                number,
                format!(
                    "time goes backwards ({} ms after {} ms); the recording was edited or mixed",
                    event.at_ms, prev.at_ms
                ),
            ));
        }
        events.push(event);
    }
    Ok(Recording {
        header,
        events,
        warnings,
    })
}

fn parse_header(line: &str, label: &str) -> Result<Header, InputError> {
    let value: serde_json::Value = serde_json::from_str(line).map_err(|_| {
        InputError::at_line(
            label,
            1,
            "not an orch-tui recording: the first line is not JSON",
        )
    })?;
    if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(InputError::at_line(
            label,
            1,
            format!("not an orch-tui recording: the header has no \"format\":\"{FORMAT}\""),
        ));
    }
    match value.get("version").and_then(|v| v.as_u64()) {
        Some(v) if v == u64::from(VERSION) => {}
        Some(v) => {
            return Err(InputError::at_line(
                label,
                1,
                format!(
                    "recording format version {v} is not supported; this orch-tui reads version {VERSION}"
                ),
            ));
        }
        None => {
            return Err(InputError::at_line(
                label,
                1,
                "the header has no format version",
            ));
        }
    }
    serde_json::from_value(value)
        .map_err(|e| InputError::at_line(label, 1, format!("bad header: {e}")))
}
