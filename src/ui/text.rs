//! Text that fits: truncation and padding by display width, so wide (CJK) characters and emoji
//! never push a column out of line; and text from outside made safe for a terminal.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// `s` cut to at most `width` columns, ending in `…` when cut.
pub fn fit(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// `s` fitted and padded with spaces to exactly `width` columns.
pub fn pad(s: &str, width: usize) -> String {
    let mut out = fit(s, width);
    let w = out.width();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(w)));
    out
}

/// The part of `s` that shows when its first `skip` columns are hidden (a wide character cut in
/// half becomes a space).
pub fn skip_columns(s: &str, skip: usize) -> String {
    let mut used = 0;
    let mut out = String::new();
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used >= skip {
            out.push(c);
        } else if used + w > skip {
            out.push(' ');
        }
        used += w;
    }
    out
}

/// `s` with ANSI escape sequences removed and every other control character (line breaks
/// included) shown as a space: text from agents and recordings can neither move the cursor nor
/// change colours, and stays on one line.
pub fn printable(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => match chars.next() {
                // CSI: parameters, then one final byte in @..~.
                Some('[') => {
                    for c in chars.by_ref() {
                        if ('@'..='~').contains(&c) {
                            break;
                        }
                    }
                }
                // OSC, DCS and the like: up to BEL or ESC \\.
                Some(']' | 'P' | '_' | '^' | 'X') => {
                    while let Some(c) = chars.next() {
                        if c == '\u{7}' || (c == '\u{1b}' && chars.next_if_eq(&'\\').is_some()) {
                            break;
                        }
                    }
                }
                _ => {}
            },
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_control_characters_never_reach_the_terminal() {
        assert_eq!(printable("\u{1b}[31mred\u{1b}[0m ok"), "red ok");
        assert_eq!(printable("a\u{1b}]0;title\u{7}b"), "ab");
        assert_eq!(printable("line\nnext\rx\u{8}"), "line next x ");
        assert_eq!(printable("ダッシュ"), "ダッシュ");
    }

    #[test]
    fn wide_characters_are_counted_by_columns() {
        assert_eq!(fit("ダッシュボード", 7), "ダッシ…");
        assert_eq!(pad("ダッシュボード", 9).width(), 9);
        assert_eq!(pad("ok", 4), "ok  ");
        assert_eq!(fit("🚀 launch", 4).width(), 4);
        assert_eq!(skip_columns("ab漢c", 3), " c");
    }
}
