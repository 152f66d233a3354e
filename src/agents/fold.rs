//! Folding what a coding agent says into text fit for a terminal: control characters (ANSI
//! escapes among them) are shown by the one sanitiser (`crate::sanitise`), never obeyed, and a
//! tool's input or output becomes one line of bounded length (the engine's `doings::one_line`),
//! so a 10,000-line tool result costs one log line.

use crate::engine::doings;
use crate::sanitise::sanitise_line;

/// Longest folded line, in characters.
pub const FOLDED: usize = 200;

/// `text` on one printable line of at most `FOLDED` characters, runs of spaces squeezed, with `…`
/// where it was cut.
pub fn one_line(text: &str) -> String {
    doings::one_line(&sanitise_line(text), FOLDED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_control_characters_are_shown_not_obeyed() {
        assert_eq!(
            one_line("\x1b[31mred\x1b[0m\x07\tok\nnext"),
            "^[[31mred^[[0m^G ok next"
        );
    }

    #[test]
    fn long_and_multi_line_text_folds_to_one_short_line() {
        assert_eq!(one_line("  cargo   test\n  --lib "), "cargo test --lib");
        let folded = one_line(&"x".repeat(10_000));
        assert_eq!(folded.chars().count(), FOLDED);
        assert!(folded.ends_with('…'));
    }
}
