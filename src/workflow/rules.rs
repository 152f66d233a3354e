//! The rules each value of a workflow obeys, written once: reading a workflow file applies them
//! at the place each value was written, and checking a resolved workflow (the one a recording's
//! header carries) applies the same ones. Each rule answers with the one sentence a person
//! needs: what is allowed. The limits on counts that repeat work (`max_retries`, `fail_times`,
//! review `rounds` and `max_rounds`, the tasks a gate's `remediation` adds) keep a run's events,
//! recording and memory bounded.

use crate::time::MAX_DURATION_MS;

/// The most retries of a failed attempt on one agent (`settings.max_retries`).
pub const MAX_RETRIES: u32 = 100;
/// The most failing attempts a simulated task may be given (`sim.fail_times`).
pub const MAX_FAIL_TIMES: u32 = 100;
/// The most review rounds (`review.rounds`, `review.max_rounds`).
pub const MAX_REVIEW_ROUNDS: u32 = 20;
/// The most tasks one gate's `remediation` may add to a run.
pub const MAX_REMEDIATION_TASKS: usize = 100;
/// The largest factor a jitter range may stretch an estimate by.
pub const MAX_JITTER: f64 = 10.0;

/// A rule's answer: the sentence saying what is allowed, when the value breaks it.
pub type Rule = Result<(), String>;

/// What a numeric field allows, in words, for the fields whose range is not their type's.
pub fn allowed(field: &str) -> Option<String> {
    let up_to = |limit: u32| format!("a whole number from 0 to {limit}");
    Some(match field {
        "max_parallel" | "recommended" => "a whole number, 1 or more".into(),
        "max_retries" => up_to(MAX_RETRIES),
        "fail_times" => up_to(MAX_FAIL_TIMES),
        "rounds" | "max_rounds" => up_to(MAX_REVIEW_ROUNDS),
        "seed" | "repeated_escalations" => "a whole number, 0 or more".into(),
        "progress_step" => "a percent from 1 to 100".into(),
        "fail_at" => "a percent from 1 to 99".into(),
        "at" => "a percent from 0 to 99".into(),
        _ => return None,
    })
}

/// Serde answers a number its field's type cannot hold in Rust's words (`integer `-1`,
/// expected usize`, `as i128`, a float printed back in 300 digits); say instead what the field
/// allows, showing the value as written.
pub fn number_in_words(
    message: &str,
    source: &str,
    span: std::ops::Range<usize>,
) -> Option<String> {
    let (what, expected) = message.rsplit_once(", expected ")?;
    let type_range = match expected {
        "u8" => "a whole number from 0 to 255".to_string(),
        "u16" => "a whole number from 0 to 65535".into(),
        "u32" => format!("a whole number from 0 to {}", u32::MAX),
        "u64" | "usize" => "a whole number, 0 or more".into(),
        _ => return None,
    };
    if !(what.contains("integer") || what.contains("floating point")) {
        return None;
    }
    let written = source.get(span.clone())?.trim();
    let written: String = match written.chars().count() > 24 {
        true => written.chars().take(24).chain(['…']).collect(),
        false => written.to_string(),
    };
    let before = source.get(..span.start)?;
    let field = before
        .rsplit('\n')
        .next()?
        .trim_end()
        .strip_suffix('=')?
        .rsplit([' ', '{', ',', '.'])
        .find(|word| !word.is_empty())?
        .trim_matches('"');
    // Under `[resources]` every key is a resource's name and every value its capacity.
    let in_resources = before
        .lines()
        .rev()
        .find(|line| line.trim_start().starts_with('['))
        .is_some_and(|line| line.trim() == "[resources]");
    let allowed = match in_resources {
        true => Some("a capacity, a whole number of 1 or more".to_string()),
        false => allowed(field),
    };
    Some(format!(
        "`{written}` is not allowed: {field} is {}",
        allowed.unwrap_or(type_range)
    ))
}

/// A count that repeats work, at most `limit`.
pub fn at_most(field: &str, value: u32, limit: u32) -> Rule {
    match value <= limit {
        true => Ok(()),
        false => Err(format!(
            "{field} may be at most {limit}, not {value}; lower it to {limit} or less"
        )),
    }
}

pub fn max_retries(value: u32) -> Rule {
    at_most("max_retries", value, MAX_RETRIES)
}

pub fn fail_times(value: u32) -> Rule {
    at_most("fail_times", value, MAX_FAIL_TIMES)
}

pub fn review_rounds(field: &str, value: u32) -> Rule {
    at_most(field, value, MAX_REVIEW_ROUNDS)
}

/// The tasks gate `gate` adds as remediation, at most `MAX_REMEDIATION_TASKS`.
pub fn remediation(gate: &str, tasks: usize) -> Rule {
    match tasks <= MAX_REMEDIATION_TASKS {
        true => Ok(()),
        false => Err(format!(
            "gate `{gate}` may add at most {MAX_REMEDIATION_TASKS} remediation tasks, not {tasks}; \
             remove {} of them",
            tasks - MAX_REMEDIATION_TASKS
        )),
    }
}

pub fn max_parallel(value: usize) -> Rule {
    match value {
        0 => Err("max_parallel must be 1 or more".into()),
        _ => Ok(()),
    }
}

pub fn progress_step(value: u8) -> Rule {
    match (1..=100).contains(&value) {
        true => Ok(()),
        false => Err("progress_step is a percent from 1 to 100".into()),
    }
}

pub fn fail_at(value: u8) -> Rule {
    match (1..=99).contains(&value) {
        true => Ok(()),
        false => Err("fail_at is a percent from 1 to 99".into()),
    }
}

pub fn blocker_at(value: u8) -> Rule {
    match value <= 99 {
        true => Ok(()),
        false => Err("`at` is a percent from 0 to 99".into()),
    }
}

pub fn jitter((low, high): (f64, f64)) -> Rule {
    match low > 0.0 && low <= high && high <= MAX_JITTER {
        true => Ok(()),
        false => Err(format!(
            "jitter must be [low, high] with 0 < low <= high <= {MAX_JITTER}, e.g. [0.8, 1.2]"
        )),
    }
}

pub fn failure_rate(value: f64) -> Rule {
    match (0.0..=1.0).contains(&value) {
        true => Ok(()),
        false => Err("failure_rate is a fraction from 0 to 1, e.g. 0.2 for 20%".into()),
    }
}

pub fn overrun(value: f64) -> Rule {
    match value.is_finite() && value >= 0.0 {
        true => Ok(()),
        false => {
            Err("overrun is a factor of the expected duration, e.g. 1.5 (0 turns it off)".into())
        }
    }
}

pub fn capacity(resource: &str, value: u32) -> Rule {
    match value {
        0 => Err(format!(
            "resource `{resource}` has capacity 0; give it 1 or more"
        )),
        _ => Ok(()),
    }
}

/// A duration already in milliseconds (a resolved workflow's), at most ten years.
pub fn duration_ms(field: &str, ms: u64) -> Rule {
    match ms <= MAX_DURATION_MS {
        true => Ok(()),
        false => Err(format!(
            "{field} of {ms} ms is longer than ten years, the longest duration a workflow may give"
        )),
    }
}

pub fn id(id: &str) -> Rule {
    match !id.is_empty() && id.chars().all(|c| c.is_alphanumeric() || "-_.".contains(c)) {
        true => Ok(()),
        false => Err(format!(
            "id `{id}` may only hold letters, digits, `-`, `_` and `.`"
        )),
    }
}

/// The recommended option is one of the blocker's, counted from 1.
pub fn recommended(blocker: &str, recommended: usize, options: usize) -> Rule {
    match (1..=options).contains(&recommended) {
        true => Ok(()),
        false => Err(format!(
            "recommended option {recommended} does not exist; blocker `{blocker}` has options 1 to {options}"
        )),
    }
}

/// The dependencies form no cycle (`cycle` is the one found, if any).
pub fn no_cycle(cycle: Option<&[String]>) -> Rule {
    match cycle {
        None => Ok(()),
        Some(cycle) => Err(format!(
            "dependency cycle: {}; remove one of these dependencies",
            cycle.join(" -> ")
        )),
    }
}
