//! Splits a process's output stream into lines within a fixed memory bound: a line longer than
//! the limit keeps its first `max` bytes and counts the rest as dropped, so a program printing a
//! 10 MB line (or never a newline) costs at most `max` bytes here. Bytes that are not UTF-8 are
//! replaced, a trailing `\r` is removed.

/// Longest line kept, in bytes.
pub const MAX_LINE: usize = 64 * 1024;

/// One line of output; `dropped` counts the bytes cut from its end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    pub dropped: usize,
}

#[derive(Debug)]
pub struct LineSplitter {
    max: usize,
    current: Vec<u8>,
    dropped: usize,
}

impl LineSplitter {
    pub fn new(max: usize) -> LineSplitter {
        LineSplitter {
            max,
            current: Vec::new(),
            dropped: 0,
        }
    }

    /// Takes the next chunk of the stream; calls `emit` for every line it completes.
    pub fn push(&mut self, mut chunk: &[u8], emit: &mut impl FnMut(Line)) {
        while !chunk.is_empty() {
            let end = chunk.iter().position(|&b| b == b'\n');
            let part = &chunk[..end.unwrap_or(chunk.len())];
            let room = self.max.saturating_sub(self.current.len());
            let kept = part.len().min(room);
            self.current.extend_from_slice(&part[..kept]);
            self.dropped += part.len() - kept;
            match end {
                Some(i) => {
                    emit(self.take());
                    chunk = &chunk[i + 1..];
                }
                None => break,
            }
        }
    }

    /// The last line, if the stream ended without a newline.
    pub fn finish(&mut self) -> Option<Line> {
        (!self.current.is_empty() || self.dropped > 0).then(|| self.take())
    }

    fn take(&mut self) -> Line {
        if self.current.last() == Some(&b'\r') {
            self.current.pop();
        }
        let text = String::from_utf8_lossy(&self.current).into_owned();
        self.current.clear();
        Line {
            text,
            dropped: std::mem::take(&mut self.dropped),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(chunks: &[&[u8]], max: usize) -> Vec<Line> {
        let mut splitter = LineSplitter::new(max);
        let mut lines = Vec::new();
        for chunk in chunks {
            splitter.push(chunk, &mut |l| lines.push(l));
        }
        lines.extend(splitter.finish());
        lines
    }

    fn line(text: &str, dropped: usize) -> Line {
        Line {
            text: text.into(),
            dropped,
        }
    }

    #[test]
    fn joins_lines_across_chunks_and_keeps_a_last_line_without_newline() {
        let lines = split(&[b"one\r\ntw", b"o\nthr", b"ee"], 100);
        assert_eq!(
            lines,
            vec![line("one", 0), line("two", 0), line("three", 0)]
        );
    }

    #[test]
    fn cuts_long_lines_and_counts_what_it_dropped() {
        let long = vec![b'x'; 1000];
        let lines = split(&[&long[..300], &long[300..], b"\nnext\n"], 64);
        assert_eq!(lines[0].text.len(), 64);
        assert_eq!(lines[0].dropped, 936);
        assert_eq!(lines[1], line("next", 0));
    }
}
