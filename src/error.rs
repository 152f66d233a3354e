//! Errors about input from outside the process (workflow files, recordings, user config, agent
//! output). Each one names where it is (`file:line:col`) and says what to do, in one line, and
//! maps to the documented exit code 2.

use std::fmt;

/// A problem with something a user gave us, with its place in the file when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub file: String,
    /// 1-based line and column.
    pub position: Option<(usize, usize)>,
    pub message: String,
}

impl InputError {
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Self {
        InputError {
            file: file.into(),
            position: None,
            message: message.into(),
        }
    }

    /// An error at a byte offset of `source`.
    pub fn at(file: &str, source: &str, offset: usize, message: impl Into<String>) -> Self {
        InputError {
            file: file.into(),
            position: Some(line_col(source, offset)),
            message: message.into(),
        }
    }

    /// A TOML syntax or type error, at its place in `source`.
    pub fn from_toml(file: &str, source: &str, error: &toml::de::Error) -> Self {
        let message = suggest_field(error.message().trim().replace('\n', " "));
        match error.span() {
            Some(span) => InputError::at(file, source, span.start, message),
            None => InputError::new(file, message),
        }
    }

    pub fn at_line(file: &str, line: usize, message: impl Into<String>) -> Self {
        InputError {
            file: file.into(),
            position: Some((line, 1)),
            message: message.into(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some((line, col)) => write!(f, "{}:{}:{}: {}", self.file, line, col, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for InputError {}

/// Serde names an unknown field and lists the known ones; name the one probably meant instead
/// (a typo such as `depends_onn`), or keep the list when none is close.
fn suggest_field(message: String) -> String {
    let Some((field, expected)) = message
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split_once("`, expected "))
    else {
        return message;
    };
    let known: Vec<String> = expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(String::from)
        .collect();
    match closest(field, &known) {
        Some(close) => format!("unknown field `{field}`; did you mean `{close}`?"),
        None => message,
    }
}

/// The candidate most like `name`, if any is close enough to be a likely typo.
pub fn closest<'a>(name: &str, candidates: &'a [String]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| {
            (
                strsim::normalized_damerau_levenshtein(&name.to_lowercase(), &c.to_lowercase()),
                c,
            )
        })
        .filter(|(score, _)| *score >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c.as_str())
}

/// The 1-based line and column (in characters) of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based() {
        let src = "a = 1\nbb = 2\n";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 6), (2, 1));
        assert_eq!(line_col(src, 9), (2, 4));
        assert_eq!(
            InputError::at("w.toml", src, 6, "bad").to_string(),
            "w.toml:2:1: bad"
        );
    }
}
