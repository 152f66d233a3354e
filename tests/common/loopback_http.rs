//! A tiny HTTP server on 127.0.0.1 for the scripted model APIs the real CLIs talk to in tests:
//! each request's JSON body is kept, and `answer` (given the path, the body and how many
//! requests came before) writes the Server-Sent Events sent back, after which the connection
//! closes.

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

type Answer = dyn Fn(&str, &Value, usize) -> String + Send + Sync;
type Kept = Arc<Mutex<Vec<(String, Value)>>>;

pub struct LoopbackHttp {
    pub port: u16,
    requests: Kept,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl LoopbackHttp {
    pub fn start(answer: impl Fn(&str, &Value, usize) -> String + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let port = listener.local_addr().expect("its address").port();
        let requests: Kept = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let answer: Arc<Answer> = Arc::new(answer);
        let (kept, stopping) = (requests.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let (kept, answer) = (kept.clone(), answer.clone());
                if let Ok(stream) = stream {
                    std::thread::spawn(move || serve(stream, &*answer, &kept));
                }
            }
        });
        LoopbackHttp {
            port,
            requests,
            stop,
            thread: Some(thread),
        }
    }

    /// The path and body of each request so far.
    pub fn requests(&self) -> Vec<(String, Value)> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

impl Drop for LoopbackHttp {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(mut stream: TcpStream, answer: &Answer, kept: &Mutex<Vec<(String, Value)>>) {
    let Some((path, body)) = read_request(&stream) else {
        return;
    };
    let before = match kept.lock() {
        Ok(mut kept) => {
            kept.push((path.clone(), body.clone()));
            kept.len() - 1
        }
        Err(_) => return,
    };
    let events = answer(&path, &body, before);
    let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n";
    let _ = stream.write_all(format!("{head}{events}").as_bytes());
    let _ = stream.flush();
}

/// The path and JSON body of one HTTP request (read by its content-length).
fn read_request(stream: &TcpStream) -> Option<(String, Value)> {
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    reader.read_line(&mut request_line).ok()?;
    let path = request_line.split_whitespace().nth(1)?.to_string();
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some((path, serde_json::from_slice(&body).unwrap_or_default()))
}
