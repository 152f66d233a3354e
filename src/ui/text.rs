//! Text that fits: truncation and padding by display width, so wide (CJK) characters and emoji
//! never push a column out of line.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_are_counted_by_columns() {
        assert_eq!(fit("ダッシュボード", 7), "ダッシ…");
        assert_eq!(pad("ダッシュボード", 9).width(), 9);
        assert_eq!(pad("ok", 4), "ok  ");
        assert_eq!(fit("🚀 launch", 4).width(), 4);
        assert_eq!(skip_columns("ab漢c", 3), " c");
    }
}
