//! The process runner: a thread of its own with a small tokio runtime that starts command
//! agents' processes on request, passes decisions to them (each answered in its dialect), and queues what
//! they do as reports for the driver (which feeds them to the engine). The queue is bounded:
//! routine lines are dropped (and counted) when it is full, and the rest waits for room. The
//! driver is woken through a callback, so a dashboard or a headless loop can sleep until there
//! is news. `shutdown` (also on drop) ends every process group and reaps it before returning.

use super::group::adopt_orphans;
use super::process::{Control, supervise};
use crate::engine::agent_io::{AgentReport, AgentRequest};
use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use tokio::task::JoinSet;

/// Reports waiting for the driver, at most.
const QUEUE: usize = 256;

/// Something an attempt's process did, and when.
#[derive(Debug)]
pub struct Report {
    pub task: String,
    pub attempt: u32,
    pub at: Instant,
    pub report: AgentReport,
}

/// Called when a report is queued.
pub type Wake = Arc<dyn Fn() + Send + Sync>;

/// The processes' side of the report queue.
#[derive(Clone)]
pub struct Outbox {
    queue: mpsc::Sender<Report>,
    wake: Wake,
}

impl Outbox {
    /// Queues a report, waiting for room.
    pub async fn send(&self, report: Report) {
        if self.queue.send(report).await.is_ok() {
            (self.wake)();
        }
    }

    /// Queues a report if there is room; false if it was dropped.
    pub fn try_send(&self, report: Report) -> bool {
        let sent = self.queue.try_send(report).is_ok();
        if sent {
            (self.wake)();
        }
        sent
    }
}

enum Order {
    Request(AgentRequest),
    Shutdown,
}

type Key = (String, u32);

pub struct Runner {
    orders: mpsc::UnboundedSender<Order>,
    reports: mpsc::Receiver<Report>,
    thread: Option<JoinHandle<()>>,
}

impl Runner {
    pub fn start(wake: Wake) -> std::io::Result<Runner> {
        adopt_orphans();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let (orders, orders_rx) = mpsc::unbounded_channel();
        let (queue, reports) = mpsc::channel(QUEUE);
        let outbox = Outbox { queue, wake };
        let thread = std::thread::Builder::new()
            .name("orch-tui-agents".into())
            .spawn(move || runtime.block_on(serve(orders_rx, outbox)))?;
        Ok(Runner {
            orders,
            reports,
            thread: Some(thread),
        })
    }

    /// Carries out one of the engine's requests.
    pub fn request(&mut self, request: AgentRequest) {
        let _ = self.orders.send(Order::Request(request));
    }

    /// The next queued report, if any.
    pub fn next_report(&mut self) -> Option<Report> {
        self.reports.try_recv().ok()
    }

    /// Ends every process group, reaps them and stops the thread. Reports still queued are
    /// dropped.
    pub fn shutdown(&mut self) {
        let Some(thread) = self.thread.take() else {
            return;
        };
        let _ = self.orders.send(Order::Shutdown);
        // Processes may wait for room in the queue before they notice: keep making room.
        while !thread.is_finished() {
            while self.reports.try_recv().is_ok() {}
            std::thread::sleep(Duration::from_millis(5));
        }
        let _ = thread.join();
    }
}

impl Drop for Runner {
    fn drop(&mut self) {
        self.shutdown();
    }
}

async fn serve(mut orders: mpsc::UnboundedReceiver<Order>, outbox: Outbox) {
    let mut running: HashMap<Key, mpsc::UnboundedSender<Control>> = HashMap::new();
    let mut attempts: JoinSet<Key> = JoinSet::new();
    loop {
        tokio::select! {
            order = orders.recv() => match order {
                Some(Order::Request(AgentRequest::Launch(launch))) => {
                    let key = (launch.task.clone(), launch.attempt);
                    let (control, control_rx) = mpsc::unbounded_channel();
                    running.insert(key.clone(), control);
                    let outbox = outbox.clone();
                    attempts.spawn(async move {
                        supervise(*launch, outbox, control_rx).await;
                        key
                    });
                }
                Some(Order::Request(AgentRequest::Decide { task, attempt, blocker, option })) => {
                    if let Some(control) = running.get(&(task, attempt)) {
                        let _ = control.send(Control::Decide { blocker, option });
                    }
                }
                Some(Order::Request(AgentRequest::End { task, attempt })) => {
                    if let Some(control) = running.get(&(task, attempt)) {
                        let _ = control.send(Control::End);
                    }
                }
                Some(Order::Shutdown) | None => break,
            },
            Some(done) = attempts.join_next(), if !attempts.is_empty() => {
                if let Ok(key) = done {
                    running.remove(&key);
                }
            }
        }
    }
    for control in running.values() {
        let _ = control.send(Control::End);
    }
    while attempts.join_next().await.is_some() {}
}

/// Wakes a thread waiting for reports: ring from any thread, wait with a deadline.
#[derive(Default)]
pub struct Doorbell {
    rung: Mutex<bool>,
    bell: Condvar,
}

impl Doorbell {
    pub fn ring(&self) {
        if let Ok(mut rung) = self.rung.lock() {
            *rung = true;
            self.bell.notify_one();
        }
    }

    /// Waits until rung (since the last wait) or `deadline`.
    pub fn wait_until(&self, deadline: Instant) {
        let Ok(mut rung) = self.rung.lock() else {
            return;
        };
        while !*rung {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            match self.bell.wait_timeout(rung, left) {
                Ok((guard, _)) => rung = guard,
                Err(_) => return,
            }
        }
        *rung = false;
    }
}
