//! Run time. A run counts milliseconds from its start (virtual for simulated agents, wall for
//! real ones); a workflow speaks in one unit (seconds, minutes, hours, days, weeks). This module
//! parses durations as written in workflow files (`4`, `"30m"`, `"1.5h"`) and formats run times
//! back in the workflow's unit for people to read.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The unit a workflow counts in: plain-number durations and the clock display use it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum TimeUnit {
    /// For real agents' quick work.
    Seconds,
    Minutes,
    #[default]
    Hours,
    Days,
    Weeks,
}

pub const MS_PER_MINUTE: u64 = 60_000;

/// The longest duration a workflow may give: ten years, far beyond any plan, and small enough
/// that run times summed over a million tasks stay far from overflowing.
pub const MAX_DURATION_MS: u64 = 10 * 365 * 24 * 60 * MS_PER_MINUTE;

impl TimeUnit {
    /// Milliseconds in one unit.
    pub fn ms(self) -> u64 {
        match self {
            TimeUnit::Seconds => 1000,
            TimeUnit::Minutes => MS_PER_MINUTE,
            TimeUnit::Hours => 60 * MS_PER_MINUTE,
            TimeUnit::Days => 24 * 60 * MS_PER_MINUTE,
            TimeUnit::Weeks => 7 * 24 * 60 * MS_PER_MINUTE,
        }
    }

    /// The one-letter suffix used when printing times in this unit.
    pub fn suffix(self) -> &'static str {
        match self {
            TimeUnit::Seconds => "s",
            TimeUnit::Minutes => "m",
            TimeUnit::Hours => "h",
            TimeUnit::Days => "d",
            TimeUnit::Weeks => "w",
        }
    }

    /// A run time in this unit, for display: `3.5h`, `12m`, `1.25w`.
    pub fn format(self, ms: u64) -> String {
        format!(
            "{}{}",
            trim_number(ms as f64 / self.ms() as f64),
            self.suffix()
        )
    }

    /// A run time in this unit without the suffix, for tables and CSV.
    pub fn value(self, ms: u64) -> f64 {
        ms as f64 / self.ms() as f64
    }
}

impl fmt::Display for TimeUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeUnit::Seconds => "seconds",
            TimeUnit::Minutes => "minutes",
            TimeUnit::Hours => "hours",
            TimeUnit::Days => "days",
            TimeUnit::Weeks => "weeks",
        })
    }
}

/// Up to two decimals, no trailing zeros: 3.5, 11, 0.25.
fn trim_number(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// Why a duration could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DurationError {
    #[error("`{0}` is negative; durations are zero or more")]
    Negative(String),
    #[error(
        "`{0}` is not a duration; write a number in the workflow's unit or e.g. \"30m\", \"1.5h\", \"2d\", \"1w\""
    )]
    Unparsable(String),
    #[error("`{0}` is longer than ten years, the longest duration a workflow may give")]
    TooLong(String),
}

/// Parses a duration written as text: a number with an optional unit suffix (`s`, `m`, `min`,
/// `h`, `d`, `w`); a bare number is in `unit`.
pub fn parse_duration(text: &str, unit: TimeUnit) -> Result<u64, DurationError> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+'))
        .unwrap_or(t.len());
    let (number, suffix) = t.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| DurationError::Unparsable(text.into()))?;
    let scale = match suffix.trim() {
        "" => unit.ms() as f64,
        "s" | "sec" => 1000.0,
        "m" | "min" => MS_PER_MINUTE as f64,
        "h" => TimeUnit::Hours.ms() as f64,
        "d" => TimeUnit::Days.ms() as f64,
        "w" => TimeUnit::Weeks.ms() as f64,
        _ => return Err(DurationError::Unparsable(text.into())),
    };
    number_to_ms(value, scale, || text.to_string())
}

/// Converts a plain number in `unit` to milliseconds.
pub fn number_duration(value: f64, unit: TimeUnit) -> Result<u64, DurationError> {
    // A huge number is shown as written in science (`1e300`), never as its 300 digits.
    let shown = || match value.abs() < 1e12 {
        true => trim_number(value),
        false => format!("{value:e}"),
    };
    number_to_ms(value, unit.ms() as f64, shown)
}

/// `value` times `scale`, rounded; `text` (made only for an error) shows the value as written.
fn number_to_ms(value: f64, scale: f64, text: impl Fn() -> String) -> Result<u64, DurationError> {
    if !value.is_finite() {
        return Err(DurationError::Unparsable(text()));
    }
    if value < 0.0 {
        return Err(DurationError::Negative(text()));
    }
    let ms = (value * scale).round();
    if ms > MAX_DURATION_MS as f64 {
        return Err(DurationError::TooLong(text()));
    }
    Ok(ms as u64)
}

/// Now, in ms since the Unix epoch (0 on a clock set before it).
pub fn wall_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_suffixes_and_bare_numbers() {
        assert_eq!(parse_duration("30m", TimeUnit::Hours), Ok(1_800_000));
        assert_eq!(parse_duration("1.5h", TimeUnit::Minutes), Ok(5_400_000));
        assert_eq!(parse_duration("2", TimeUnit::Days), Ok(2 * 86_400_000));
        assert_eq!(parse_duration("1w", TimeUnit::Hours), Ok(604_800_000));
        assert_eq!(parse_duration("90s", TimeUnit::Hours), Ok(90_000));
    }

    #[test]
    fn rejects_negative_and_garbage() {
        assert!(matches!(
            parse_duration("-3h", TimeUnit::Hours),
            Err(DurationError::Negative(_))
        ));
        assert!(matches!(
            parse_duration("soon", TimeUnit::Hours),
            Err(DurationError::Unparsable(_))
        ));
        assert!(matches!(
            parse_duration("3 fortnights", TimeUnit::Hours),
            Err(DurationError::Unparsable(_))
        ));
        assert!(number_duration(-1.0, TimeUnit::Hours).is_err());
    }

    #[test]
    fn refuses_durations_over_ten_years() {
        assert_eq!(
            parse_duration("520w", TimeUnit::Hours),
            Ok(520 * 7 * 86_400_000)
        );
        assert!(matches!(
            parse_duration("530w", TimeUnit::Hours),
            Err(DurationError::TooLong(_))
        ));
        assert!(matches!(
            number_duration(1e12, TimeUnit::Hours),
            Err(DurationError::TooLong(_))
        ));
    }

    #[test]
    fn formats_in_unit() {
        assert_eq!(TimeUnit::Hours.format(12_600_000), "3.5h");
        assert_eq!(TimeUnit::Hours.format(0), "0h");
        assert_eq!(TimeUnit::Weeks.format(604_800_000 * 6), "6w");
        assert_eq!(TimeUnit::Minutes.format(90_000), "1.5m");
    }
}
