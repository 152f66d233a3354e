//! One client of the hub: its uid checked against the run's, then a reader (this thread) that
//! takes its lines one by one and a writer thread that drains its outbox. Whatever a client
//! sends, the worst it gets is an `error` line; the run never sees it.

use super::lines::{ClientLine, read_bounded};
use super::outbox::{GATHER, Line, Next, Outbox, Owner};
use super::peer::{Peer, peer_uid};
use super::request::{Request, RequestBody, reply_line};
use super::shared::Shared;
use crate::run::wire::{
    ClientMessage, MAX_CLIENT_LINE, PROTOCOL, ServerMessage, VERSION, message_line,
};
use std::io::{BufReader, BufWriter, Write};
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::time::Instant;

/// Clients served at once; more are refused.
const MAX_CLIENTS: usize = 64;
/// Bytes written to a client at a time: a catch-up is a hundred megabytes for a million events.
const WRITE_BUFFER: usize = 64 * 1024;

pub(super) fn serve(shared: Arc<Shared>, stream: UnixStream) {
    match peer_uid(&stream) {
        Ok(uid) if uid == shared.uid => {}
        Ok(_) => return refuse(stream, "refused: this run belongs to another user"),
        Err(e) => return refuse(stream, &format!("refused: cannot tell who connects: {e}")),
    }
    let outbox = Arc::new(Outbox::default());
    if !shared.register(&outbox, MAX_CLIENTS) {
        return refuse(
            stream,
            "refused: too many clients are connected to this run",
        );
    }
    let Ok(writing) = stream.try_clone() else {
        shared.unregister(&outbox);
        return;
    };
    let (writer_shared, writer_outbox) = (shared.clone(), outbox.clone());
    let writer = std::thread::Builder::new()
        .name("control-writer".into())
        .spawn(move || write_loop(&writer_shared, &writer_outbox, writing));
    if writer.is_err() {
        shared.unregister(&outbox);
        return;
    }
    read_loop(&shared, &outbox, stream);
    // The dashboard that owned the run is gone without detaching it: its terminal closed or
    // it was killed.
    if outbox.lock().owner == Owner::Owning {
        shared.lose_owner();
    }
    outbox.leave();
}

fn refuse(mut stream: UnixStream, why: &str) {
    let _ = stream.write_all(error_line(why).as_bytes());
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

fn error_line(error: &str) -> String {
    message_line(&ServerMessage::Error {
        error: error.to_string(),
    })
}

fn write_loop(shared: &Shared, outbox: &Arc<Outbox>, stream: UnixStream) {
    let mut out = BufWriter::with_capacity(WRITE_BUFFER, &stream);
    let mut gathered = Instant::now();
    loop {
        let lines = match outbox.next(gathered) {
            Next::Lines(lines) => lines,
            Next::CatchUp(kind) => shared.catch_up(outbox, kind),
            Next::Bye(line) => vec![Line::Own(line)],
            Next::End => break,
        };
        let written = lines.iter().try_for_each(|l| out.write_all(l.bytes()));
        if written.and_then(|()| out.flush()).is_err() {
            break;
        }
        gathered = Instant::now() + GATHER;
    }
    drop(out);
    let _ = stream.shutdown(std::net::Shutdown::Both);
    outbox.finished_writing();
    shared.unregister(outbox);
}

fn read_loop(shared: &Shared, outbox: &Arc<Outbox>, stream: UnixStream) {
    let mut input = BufReader::new(stream);
    let mut peer: Option<Peer> = None;
    while let Ok(Some(line)) = read_bounded(&mut input, MAX_CLIENT_LINE) {
        if outbox.is_gone() {
            return;
        }
        let message = match line {
            ClientLine::TooLong => Err(format!(
                "a line longer than {MAX_CLIENT_LINE} bytes was dropped"
            )),
            ClientLine::Text(text) if text.iter().all(u8::is_ascii_whitespace) => continue,
            ClientLine::Text(text) => serde_json::from_slice::<ClientMessage>(&text)
                .map_err(|e| format!("cannot read the line: {e}")),
        };
        let kept = match message {
            Err(e) => outbox.send(error_line(&e)),
            Ok(message) => take(shared, outbox, &mut peer, message),
        };
        if !kept {
            return;
        }
    }
}

/// Acts on one message. False when the connection should end.
fn take(
    shared: &Shared,
    outbox: &Arc<Outbox>,
    peer: &mut Option<Peer>,
    message: ClientMessage,
) -> bool {
    let Some(who) = peer.as_ref() else {
        let ClientMessage::Hello {
            protocol,
            version,
            watch,
            at,
            owner,
        } = message
        else {
            return outbox.send(error_line(
                "say hello first: {\"type\":\"hello\",\"protocol\":\"orch-tui-control\",\"version\":1,\"watch\":false}",
            ));
        };
        if protocol != PROTOCOL || version != VERSION {
            outbox.bye(error_line(&format!(
                "this run speaks {PROTOCOL} version {VERSION}, not {protocol} version {version}"
            )));
            return false;
        }
        *peer = Some(Peer::new(shared.uid, &at));
        if owner {
            outbox.lock().owner = Owner::Owning;
        }
        let hello = message_line(&ServerMessage::Hello {
            protocol: PROTOCOL.into(),
            version: VERSION,
            run: shared.info.clone(),
        });
        shared.hello(outbox, hello, watch);
        return true;
    };
    let (id, body) = match message {
        ClientMessage::Hello { .. } => return outbox.send(error_line("hello was said already")),
        ClientMessage::Info { id } => {
            let view = serde_json::to_value(shared.view()).map_err(|e| e.to_string());
            return outbox.send(reply_line(id, view));
        }
        ClientMessage::Detach { id } => {
            outbox.lock().owner = Owner::No;
            outbox.send(reply_line(id, Ok(serde_json::Value::Null)));
            outbox.bye(message_line(&ServerMessage::Bye {
                reason: "detached".into(),
            }));
            return false;
        }
        ClientMessage::Decide {
            id,
            blocker,
            option,
        } => (id, RequestBody::Decide { blocker, option }),
        ClientMessage::Replan { id, change } => (id, RequestBody::Replan(change)),
        ClientMessage::Acknowledge { id, alert } => (id, RequestBody::Acknowledge(alert)),
        ClientMessage::Project { id, blocker } => (id, RequestBody::Project(blocker)),
        ClientMessage::Clock { id, action } => (id, RequestBody::Clock(action)),
        ClientMessage::Stop { id } => (id, RequestBody::Stop),
    };
    outbox.expect_reply();
    let request = Request {
        peer: who.clone(),
        body,
        id,
        client: outbox.clone(),
    };
    match shared.request(request) {
        Ok(()) => true,
        Err(request) => {
            request.answer(Err("the run is busy; try again".into()));
            true
        }
    }
}
