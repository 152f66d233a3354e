//! The one sanitiser for text that leaves for a terminal. Names, notes, messages and reasons
//! come from workflow files, recordings and agent output, and may hold bytes a terminal obeys
//! (an escape sequence that sets the window title, switches to the alternate screen or changes
//! colours; a NUL; a bell). Every human-readable output (the dashboard, headless lines, replay
//! timelines and snapshots, validate and error messages) passes through here, so such bytes are
//! shown, never obeyed: C0 controls and DEL in caret notation (`^[`, `^@`, `^G`, `^?`), C1
//! controls and bidirectional overrides as `\u{9b}`, invalid UTF-8 as `�`. Tabs and newlines
//! stay as they are. CSV and JSON outputs keep the data exact, escaped by their own format; JSON
//! leaves DEL, C1 controls and bidirectional overrides raw, so `json` writes those as `\uXXXX`
//! escapes too: the same data, harmless on a terminal.

use std::borrow::Cow;
use std::io::Write;

/// Writes `text` and a newline to stderr, sanitised. A stderr that is gone (its terminal
/// closed under the run) is no reason to fail, and never a panic as `eprintln!` would be.
pub fn to_stderr(text: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{}", sanitise(text));
}

/// `text` with every character a terminal would obey shown visibly instead.
pub fn sanitise(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_showing) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_shown(&mut out, c);
    }
    Cow::Owned(out)
}

/// `text` on one line: `sanitise`d, with line breaks and tabs shown as spaces. One pass, which
/// copies the runs between such characters whole.
pub fn sanitise_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = 0;
    for (at, c) in text.char_indices() {
        let is_break = matches!(c, '\n' | '\r' | '\t');
        if is_break || needs_showing(c) {
            out.push_str(&text[run..at]);
            match is_break {
                true => out.push(' '),
                false => push_shown(&mut out, c),
            }
            run = at + c.len_utf8();
        }
    }
    out.push_str(&text[run..]);
    out
}

/// Bytes that should be UTF-8 text (agent output, a file's name), sanitised; invalid UTF-8
/// becomes `�`.
pub fn sanitise_bytes(bytes: &[u8]) -> String {
    sanitise(&String::from_utf8_lossy(bytes)).into_owned()
}

/// Pretty JSON of `value`, with every character a terminal would obey written as a `\uXXXX`
/// escape (JSON escapes C0 controls itself; the rest can only occur inside strings).
pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    escape_json(serde_json::to_string_pretty(value).unwrap_or_default())
}

/// `json` on one line.
pub fn json_line<T: serde::Serialize + ?Sized>(value: &T) -> String {
    escape_json(serde_json::to_string(value).unwrap_or_default())
}

fn escape_json(text: String) -> String {
    if !text.chars().any(needs_showing) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match needs_showing(c) {
            true => out.push_str(&format!("\\u{:04x}", c as u32)),
            false => out.push(c),
        }
    }
    out
}

fn needs_showing(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c)
}

/// The characters that reorder text on screen (Unicode explicit directional formatting).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn push_shown(out: &mut String, c: char) {
    if !needs_showing(c) {
        out.push(c);
    } else if (c as u32) < 0x20 {
        out.push('^');
        out.push(char::from(c as u8 + b'@'));
    } else if c == '\u{7f}' {
        out.push_str("^?");
    } else {
        out.push_str(&c.escape_unicode().to_string());
    }
}

/// A writer that sanitises everything written through it before it reaches `inner`. A UTF-8
/// character split across two writes is joined first; bytes that can never be UTF-8 become `�`,
/// and a character still unfinished when the writer is dropped becomes `�` too.
pub struct Sanitised<W: Write> {
    inner: W,
    pending: Vec<u8>,
}

impl<W: Write> Sanitised<W> {
    pub fn new(inner: W) -> Self {
        Sanitised {
            inner,
            pending: Vec::new(),
        }
    }
}

impl<W: Write> Write for Sanitised<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        let mut shown = String::new();
        let mut start = 0;
        loop {
            match std::str::from_utf8(&self.pending[start..]) {
                Ok(text) => {
                    shown.push_str(&sanitise(text));
                    start = self.pending.len();
                    break;
                }
                Err(e) => {
                    let valid = start + e.valid_up_to();
                    let text = std::str::from_utf8(&self.pending[start..valid]).unwrap_or("");
                    shown.push_str(&sanitise(text));
                    match e.error_len() {
                        Some(bad) => {
                            shown.push('\u{fffd}');
                            start = valid + bad;
                        }
                        // An unfinished character at the end: wait for the rest.
                        None => {
                            start = valid;
                            break;
                        }
                    }
                }
            }
        }
        self.pending.drain(..start);
        self.inner.write_all(shown.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> Drop for Sanitised<W> {
    fn drop(&mut self) {
        if !self.pending.is_empty() {
            let _ = self.inner.write_all("\u{fffd}".as_bytes());
        }
        let _ = self.inner.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        assert_eq!(
            sanitise("\u{1b}]0;pwned\u{7}x\u{0}\u{1b}[?1049h"),
            "^[]0;pwned^Gx^@^[[?1049h"
        );
        assert_eq!(sanitise("a\u{7f}b\u{9b}c\u{202e}"), "a^?b\\u{9b}c\\u{202e}");
        assert_eq!(sanitise("tab\tand\nnewline stay"), "tab\tand\nnewline stay");
        assert_eq!(sanitise_line("one\r\nline\t\u{1b}[0m"), "one  line ^[[0m");
        assert!(matches!(sanitise("plain ダッシュ"), Cow::Borrowed(_)));
        assert_eq!(sanitise_bytes(b"ok\xff\xfe\x1b"), "ok\u{fffd}\u{fffd}^[");
    }

    proptest::proptest! {
        #[test]
        fn a_line_is_the_sanitised_text_with_breaks_and_tabs_as_spaces(
            text in "[a \t\r\n\x00\x1b\x7f\u{85}\u{9b}\u{202e}\u{2028}é]{0,60}"
        ) {
            let expected = sanitise(&text.replace(['\n', '\r', '\t'], " ")).into_owned();
            proptest::prop_assert_eq!(sanitise_line(&text), expected);
        }
    }

    #[test]
    fn json_escapes_what_a_terminal_would_obey_and_keeps_the_data() {
        let text = "a\u{1b}[31m\u{7f}\u{9b}2J\u{202e}é";
        let shown = json(&serde_json::json!({ "name": text }));
        assert!(!shown.chars().any(needs_showing), "{shown}");
        let back: serde_json::Value = serde_json::from_str(&shown).unwrap();
        assert_eq!(back["name"], text);
    }

    #[test]
    fn the_writer_joins_characters_split_across_writes() {
        let mut out = Vec::new();
        {
            let mut w = Sanitised::new(&mut out);
            let bytes = "é\u{1b}[31m".as_bytes();
            w.write_all(&bytes[..1]).unwrap();
            w.write_all(&bytes[1..]).unwrap();
            w.write_all(b"\xff!\xc3").unwrap();
        }
        assert_eq!(String::from_utf8(out).unwrap(), "é^[[31m\u{fffd}!\u{fffd}");
    }
}
