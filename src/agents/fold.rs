//! Folding what a coding agent says into text fit for a terminal: control characters (ANSI
//! escapes among them) are shown by the one sanitiser (`crate::sanitise`), never obeyed, and a
//! tool's input or output becomes one line of bounded length (the engine's `doings::one_line`),
//! so a 10,000-line tool result costs one log line. Only as much of the text as the line needs
//! is looked at: a 16 KB tool output is folded from its first few hundred bytes.

use crate::engine::doings;
use crate::sanitise::sanitise_line;

/// Longest folded line, in characters.
pub const FOLDED: usize = 200;

/// Bytes of the text folded first (room for `FOLDED` characters and some spaces); doubled while
/// that is not enough.
const FIRST_LOOK: usize = 2 * FOLDED;

/// `text` on one printable line of at most `FOLDED` characters, runs of spaces squeezed, with `…`
/// where it was cut.
///
/// A prefix of the text folds to the same line as the whole once its own line is full and ends
/// in `…`: whatever follows either adds nothing (spaces) or makes the line too long, and then it
/// is cut after the same `FOLDED - 1` characters and given the same `…`. So prefixes of growing
/// length are folded until one is enough, or the prefix is the whole text.
pub fn one_line(text: &str) -> String {
    let mut look = FIRST_LOOK;
    loop {
        if look >= text.len() {
            return fold(text);
        }
        let mut end = look;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let line = fold(&text[..end]);
        if line.ends_with('…') && line.chars().count() == FOLDED {
            return line;
        }
        look *= 2;
    }
}

fn fold(text: &str) -> String {
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

    #[test]
    fn folding_from_a_prefix_gives_the_line_of_the_whole_text() {
        let texts = [
            format!("{}x", " ".repeat(5000)),
            format!("{} tail", "\t\n".repeat(3000)),
            format!("{}…", "a".repeat(FOLDED - 1)),
            format!("{}… {}", "a".repeat(FOLDED - 1), "b".repeat(9000)),
            format!("{}… ", "a ".repeat(99)).repeat(20),
            "größe ≤ 1\t\x1b[31m\n".repeat(700),
            "é".repeat(5000),
            "word ".repeat(2000),
            "x".repeat(FOLDED),
            format!("{}{}b", "x".repeat(FOLDED), " ".repeat(2000)),
        ];
        for text in texts {
            assert_eq!(one_line(&text), fold(&text));
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_folds_as_a_whole(
            pieces in proptest::collection::vec("[a …\t\n\x1b\u{85}\u{2028}é]{1,40}", 0..300)
        ) {
            let text = pieces.concat();
            proptest::prop_assert_eq!(one_line(&text), fold(&text));
        }
    }
}
