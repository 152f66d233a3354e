//! A client's end of the control protocol over any pair of streams: a run's socket, or the
//! stdout and stdin of `ssh HOST orch-tui bridge RUN`. It says hello, sends requests and reads
//! the server's lines; `request` waits for the reply to its own id, passing over the rest.

use crate::run::wire::{
    ClientMessage, PROTOCOL, RunInfo, ServerLine, ServerMessage, VERSION, message_line,
    parse_server_line,
};
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;

/// Bytes read from the server at a time: a catch-up is a hundred megabytes for a million
/// events.
const READ_BUFFER: usize = 64 * 1024;

pub struct Connection<R: Read, W: Write> {
    input: BufReader<R>,
    output: W,
    last_id: u64,
}

impl Connection<UnixStream, UnixStream> {
    /// Connects to a run's socket.
    pub fn connect(socket: &Path) -> std::io::Result<Self> {
        let stream = UnixStream::connect(socket)
            .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", socket.display())))?;
        let writing = stream.try_clone()?;
        Ok(Connection::new(stream, writing))
    }
}

impl<R: Read, W: Write> Connection<R, W> {
    pub fn new(input: R, output: W) -> Self {
        Connection {
            input: BufReader::with_capacity(READ_BUFFER, input),
            output,
            last_id: 0,
        }
    }

    /// Says hello (`watch`: as a viewer) from `at`, and returns which run answered.
    pub fn hello(&mut self, watch: bool, at: &str) -> Result<RunInfo, String> {
        self.hello_as(watch, at, false)
    }

    /// `hello`, as the run's `owner` when asked: the dashboard that started it.
    pub fn hello_as(&mut self, watch: bool, at: &str, owner: bool) -> Result<RunInfo, String> {
        let sent = self
            .send(&ClientMessage::Hello {
                protocol: PROTOCOL.into(),
                version: VERSION,
                watch,
                at: at.into(),
                owner,
            })
            .map_err(|e| format!("cannot reach the run: {e}"));
        loop {
            match self.next_line() {
                Ok(Some(ServerLine::Message(ServerMessage::Hello {
                    protocol,
                    version,
                    run,
                }))) => {
                    if protocol != PROTOCOL || version != VERSION {
                        return Err(format!(
                            "the run speaks {protocol} version {version}; this orch-tui speaks \
                             {PROTOCOL} version {VERSION}"
                        ));
                    }
                    return Ok(run);
                }
                Ok(Some(ServerLine::Message(ServerMessage::Error { error }))) => return Err(error),
                Ok(Some(_)) => {}
                // A run that refused the connection may have closed it before the hello went.
                Ok(None) | Err(_) if sent.is_err() => return Err(sent.err().unwrap_or_default()),
                Ok(None) => return Err("the run closed the connection".into()),
                Err(e) => return Err(format!("cannot read from the run: {e}")),
            }
        }
    }

    pub fn send(&mut self, message: &ClientMessage) -> std::io::Result<()> {
        self.output.write_all(message_line(message).as_bytes())?;
        self.output.flush()
    }

    /// The next line from the server, or `None` when it closed the connection.
    pub fn next_line(&mut self) -> std::io::Result<Option<ServerLine>> {
        let mut line = String::new();
        loop {
            line.clear();
            if self.input.read_line(&mut line)? == 0 {
                return Ok(None);
            }
            if line.trim().is_empty() {
                continue;
            }
            return parse_server_line(&line).map(Some).map_err(|e| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("the run sent a line this orch-tui cannot read: {e}"),
                )
            });
        }
    }

    /// The two ways of the connection: the server's lines (with what was read ahead) and the
    /// way to the server, for a viewer that reads on one thread and writes on another.
    pub fn into_parts(self) -> (BufReader<R>, W) {
        (self.input, self.output)
    }

    /// A request id not used before on this connection.
    pub fn next_id(&mut self) -> u64 {
        self.last_id += 1;
        self.last_id
    }

    /// Sends `message` and waits for the reply with its id: the result, or the reason the run
    /// gave. Other lines on the way are passed over.
    pub fn request(&mut self, message: &ClientMessage) -> Result<serde_json::Value, String> {
        let id = message.id().ok_or("a hello is not a request")?;
        self.send(message)
            .map_err(|e| format!("cannot reach the run: {e}"))?;
        loop {
            match self.next_line() {
                Ok(Some(ServerLine::Message(ServerMessage::Reply {
                    id: got,
                    ok,
                    result,
                    error,
                }))) if got == id => {
                    return if ok {
                        Ok(result.unwrap_or(serde_json::Value::Null))
                    } else {
                        Err(error.unwrap_or_else(|| "the run refused".into()))
                    };
                }
                Ok(Some(ServerLine::Message(ServerMessage::Error { error }))) => return Err(error),
                Ok(Some(ServerLine::Message(ServerMessage::Bye { reason }))) => {
                    return Err(format!("the run ended the connection ({reason})"));
                }
                Ok(Some(_)) => {}
                Ok(None) => return Err("the run closed the connection".into()),
                Err(e) => return Err(format!("cannot read from the run: {e}")),
            }
        }
    }
}
