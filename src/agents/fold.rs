//! Folding what a coding agent says into text fit for a terminal: control characters (ANSI
//! escapes among them) never pass, and a tool's input or output becomes one line of bounded
//! length, so a 10,000-line tool result costs one log line.

/// Longest folded line, in characters.
pub const FOLDED: usize = 200;

/// `text` without control characters; tabs become spaces and, unless `keep_newlines`, so do
/// line breaks.
pub fn printable(text: &str, keep_newlines: bool) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\n' if keep_newlines => Some('\n'),
            '\t' | '\n' | '\r' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// `text` on one printable line of at most `FOLDED` characters, runs of spaces squeezed, with `…`
/// where it was cut.
pub fn one_line(text: &str) -> String {
    let flat = printable(text, false);
    let squeezed = flat.split_whitespace().collect::<Vec<_>>().join(" ");
    if squeezed.chars().count() <= FOLDED {
        return squeezed;
    }
    let kept: String = squeezed.chars().take(FOLDED - 1).collect();
    format!("{kept}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_control_characters_never_pass() {
        assert_eq!(
            printable("\x1b[31mred\x1b[0m\x07\tok\nnext", false),
            "[31mred[0m ok next"
        );
        assert_eq!(printable("a\nb\r", true), "a\nb ");
    }

    #[test]
    fn long_and_multi_line_text_folds_to_one_short_line() {
        assert_eq!(one_line("  cargo   test\n  --lib "), "cargo test --lib");
        let folded = one_line(&"x".repeat(10_000));
        assert_eq!(folded.chars().count(), FOLDED);
        assert!(folded.ends_with('…'));
    }
}
