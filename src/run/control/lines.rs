//! Reads a client's lines with a bound: a line longer than the limit is skipped to its end
//! without being kept, so a client sending one endless line holds no more than the limit.

use std::io::BufRead;

/// One line from a client.
#[derive(Debug, PartialEq, Eq)]
pub enum ClientLine {
    Text(Vec<u8>),
    /// Longer than the limit: its bytes were dropped.
    TooLong,
}

/// The next line (without its newline), or `None` at the end of the stream. A last line
/// without a newline counts as a line.
pub fn read_bounded(input: &mut impl BufRead, limit: usize) -> std::io::Result<Option<ClientLine>> {
    let mut line = Vec::new();
    let mut too_long = false;
    let mut seen = false;
    loop {
        let buf = match input.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            if !seen {
                return Ok(None);
            }
            break;
        }
        seen = true;
        let (chunk, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (&buf[..i], Some(i + 1)),
            None => (buf, None),
        };
        if !too_long {
            if line.len() + chunk.len() > limit {
                too_long = true;
                line = Vec::new();
            } else {
                line.extend_from_slice(chunk);
            }
        }
        let used = done.unwrap_or(buf.len());
        input.consume(used);
        if done.is_some() {
            break;
        }
    }
    Ok(Some(if too_long {
        ClientLine::TooLong
    } else {
        ClientLine::Text(line)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_skipped_and_the_next_line_is_read() {
        let text = format!("ok\n{}\nnext", "x".repeat(100));
        let mut input = std::io::BufReader::with_capacity(8, text.as_bytes());
        assert_eq!(
            read_bounded(&mut input, 10).unwrap(),
            Some(ClientLine::Text(b"ok".to_vec()))
        );
        assert_eq!(
            read_bounded(&mut input, 10).unwrap(),
            Some(ClientLine::TooLong)
        );
        assert_eq!(
            read_bounded(&mut input, 10).unwrap(),
            Some(ClientLine::Text(b"next".to_vec()))
        );
        assert_eq!(read_bounded(&mut input, 10).unwrap(), None);
    }
}
