//! Reads a recording back, strictly where it matters and tolerantly where a crash could have
//! left a mark: a truncated last line is dropped with a warning, while a bad line in the middle,
//! a gap in `seq`, time going backwards or beyond ten years, a decision for option 0, an event
//! after `run_finished` or an unknown format version is an error naming the line. The header's
//! workflow is checked with the rules of a workflow file. Reading never runs anything the
//! recording names.

use super::versions::OLDEST;
use super::{FORMAT, Header, VERSION};
use crate::engine::Event;
use crate::engine::event::EventBody;
use crate::error::InputError;
use crate::time::MAX_DURATION_MS;
use std::io::{BufRead, Read};
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
    let cannot =
        |e: std::io::Error| InputError::new(&label, format!("cannot read the recording: {e}"));
    let file = std::fs::File::open(path).map_err(cannot)?;
    // A device such as /dev/zero would be read for ever.
    if !file.metadata().map_err(cannot)?.is_file() {
        return Err(InputError::new(
            &label,
            "not a regular file; give the path of a recording (.jsonl)",
        ));
    }
    read_from(std::io::BufReader::with_capacity(1 << 20, file), &label)
}

pub fn parse_recording(text: &str, label: &str) -> Result<Recording, InputError> {
    read_from(text.as_bytes(), label)
}

/// Bytes of event lines parsed at a time: the whole file is never held in memory.
const BLOCK: u64 = 8 << 20;

fn read_from(mut input: impl BufRead, label: &str) -> Result<Recording, InputError> {
    let io_error =
        |e: std::io::Error| InputError::new(label, format!("cannot read the recording: {e}"));
    let mut first = Vec::new();
    input.read_until(b'\n', &mut first).map_err(io_error)?;
    let first = String::from_utf8_lossy(&first);
    if first.trim().is_empty() {
        return Err(InputError::new(
            label,
            "the recording is empty; record a run with `orch-tui run FILE`",
        ));
    }
    let header = parse_header(&first, label)?;
    let mut events: Vec<Event> = Vec::new();
    let mut warnings = Vec::new();
    let mut line_number = 1;
    loop {
        let mut block = Vec::new();
        (&mut input)
            .take(BLOCK)
            .read_to_end(&mut block)
            .map_err(io_error)?;
        if block.is_empty() {
            break;
        }
        if block.last() != Some(&b'\n') {
            input.read_until(b'\n', &mut block).map_err(io_error)?;
        }
        let at_end = input.fill_buf().map_err(io_error)?.is_empty();
        let text = String::from_utf8_lossy(&block);
        let lines: Vec<(usize, &str)> = text
            .split_inclusive('\n')
            .enumerate()
            .map(|(i, l)| (line_number + i + 1, l))
            .filter(|(_, l)| !l.trim().is_empty())
            .collect();
        line_number += text.split_inclusive('\n').count();
        let count = lines.len();
        for (k, (result, (number, line))) in parse_lines(&lines).into_iter().zip(lines).enumerate()
        {
            let event = match result {
                Ok(e) => e,
                Err(e) if at_end && k + 1 == count && !line.ends_with('\n') => {
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
            check_order(events.last(), &event, label, number)?;
            events.push(event);
        }
    }
    events.shrink_to_fit();
    Ok(Recording {
        header,
        events,
        warnings,
    })
}

/// Events count from 1 with no gaps, time never goes backwards nor past ten years, nothing
/// follows `run_finished`, and decisions name an option from 1.
fn check_order(
    previous: Option<&Event>,
    event: &Event,
    label: &str,
    number: usize,
) -> Result<(), InputError> {
    let refuse = |message: String| Err(InputError::at_line(label, number, message));
    if let Some(p) = previous.filter(|p| matches!(p.body, EventBody::RunFinished { .. })) {
        return refuse(format!(
            "event {} comes after `run_finished` (event {}); the recording was edited or mixed",
            event.seq, p.seq
        ));
    }
    if event.at_ms > MAX_DURATION_MS {
        return refuse(format!(
            "at_ms {} is beyond ten years, longer than any run; the recording was edited",
            event.at_ms
        ));
    }
    if let EventBody::DecisionMade { option: 0, .. } = event.body {
        return refuse("a decision for option 0; options count from 1".into());
    }
    let expected = previous.map_or(1, |p| p.seq + 1);
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
    if let Some(prev) = previous.filter(|p| event.at_ms < p.at_ms) {
        return Err(InputError::at_line(
            label,
            number,
            format!(
                "time goes backwards ({} ms after {} ms); the recording was edited or mixed",
                event.at_ms, prev.at_ms
            ),
        ));
    }
    Ok(())
}

/// Parses event lines on every core, keeping their order.
fn parse_lines(lines: &[(usize, &str)]) -> Vec<Result<Event, serde_json::Error>> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = lines.len().div_ceil(cores).max(4096);
    let parse = |part: &[(usize, &str)]| -> Vec<Result<Event, serde_json::Error>> {
        part.iter().map(|(_, l)| Event::from_line(l)).collect()
    };
    if lines.len() <= chunk {
        return parse(lines);
    }
    std::thread::scope(|scope| {
        let parts: Vec<_> = lines
            .chunks(chunk)
            .map(|part| scope.spawn(move || parse(part)))
            .collect();
        // A chunk's thread only runs serde_json on text; if it ever died, parse that chunk here.
        parts
            .into_iter()
            .zip(lines.chunks(chunk))
            .flat_map(|(handle, part)| handle.join().unwrap_or_else(|_| parse(part)))
            .collect()
    })
}

fn parse_header(line: &str, label: &str) -> Result<Header, InputError> {
    // A good header is read straight into `Header` (it holds the whole workflow: 14 MB for
    // 100,000 tasks); only one that is not is read again as JSON, to say what is wrong.
    let header = match serde_json::from_str::<Header>(line) {
        Ok(h) if h.format == FORMAT && (OLDEST..=VERSION).contains(&h.version) => h,
        _ => read_bad_header(line, label)?,
    };
    crate::workflow::check::check(&header.workflow).map_err(|rule| {
        InputError::at_line(
            label,
            1,
            format!("the header's workflow is not valid: {rule}"),
        )
    })?;
    Ok(header)
}

/// A header that did not read as a current one: the first of what is wrong with it (not JSON,
/// another format, a version this build does not read, a field missing or mistyped).
fn read_bad_header(line: &str, label: &str) -> Result<Header, InputError> {
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
        Some(v) if (u64::from(OLDEST)..=u64::from(VERSION)).contains(&v) => {}
        Some(v) => {
            return Err(InputError::at_line(
                label,
                1,
                format!(
                    "recording format version {v} is not supported; this orch-tui reads versions {OLDEST} to {VERSION}"
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
