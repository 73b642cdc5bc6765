//! The jobs layer: every thread the explorer starts is started here. A [`Job`] does one
//! kind of background work; a [`Queue`] runs it on its own thread, either *latest wins*
//! (a new request replaces the waiting one and cancels the running one: comparisons,
//! timelines, histories, refreshes) or *in order* (every request is done, in order, and
//! quitting waits for them: annotation saves). One panic policy: a job that panics
//! answers its request with the panic as a one-line error, and the queue goes on.
//! Requests carry the ids the state gave them, so stale answers are recognised there.

use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;

use super::message::Msg;

/// What jobs report when the workspace's lock was poisoned by an earlier failure.
pub const UNAVAILABLE: &str = "the workspace is unavailable after an earlier failure";

/// Tells a running job to stop: superseded by a newer request, or the explorer quits.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// Asks the job to stop.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// True once the job was asked to stop.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    /// The flag itself, for work outside the explorer that takes one (collection).
    pub fn flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.0)
    }
}

/// Where a job's messages go; false once the explorer is gone.
pub type Sink = Arc<dyn Fn(Msg) -> bool + Send + Sync>;

/// A sink sending each message, wrapped by `wrap`, on the channel `tx`.
pub fn sink<T: Send + 'static>(tx: std::sync::mpsc::Sender<T>, wrap: fn(Msg) -> T) -> Sink {
    let tx = Mutex::new(tx);
    Arc::new(move |msg| tx.lock().is_ok_and(|tx| tx.send(wrap(msg)).is_ok()))
}

/// One kind of background work.
pub trait Job: Send + 'static {
    /// What it is asked to do.
    type Request: Send + 'static;

    /// Does `request`, sending its answers with `send`; stops early when `cancel` says
    /// so. Returns false when the explorer is gone (the queue then stops).
    fn run(&mut self, request: Self::Request, cancel: &Cancel, send: &Sink) -> bool;

    /// The answer to `request` when doing it panicked with `message`.
    fn failed(&self, request: Self::Request, message: String) -> Option<Msg>;

    /// A copy of the request, kept to answer it if the job panics.
    fn keep(&self, request: &Self::Request) -> Self::Request;
}

/// How a queue treats requests that arrive while one is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// A new request replaces any waiting one and cancels the running one.
    LatestWins,
    /// Every request is done, in order; dropping the queue waits for them.
    InOrder,
}

struct Slot<R> {
    waiting: VecDeque<R>,
    running: Option<Cancel>,
    shutdown: bool,
}

type Shared<R> = Arc<(Mutex<Slot<R>>, Condvar)>;

/// A job on its own thread, fed with requests.
pub struct Queue<R: Send + 'static> {
    shared: Shared<R>,
    policy: Policy,
    handle: Option<JoinHandle<()>>,
}

impl<R: Send + 'static> Queue<R> {
    /// Starts `job` on a thread named `name`; its answers go to `send`.
    pub fn start<J: Job<Request = R>>(name: &str, policy: Policy, job: J, send: Sink) -> Queue<R> {
        let shared: Shared<R> = Arc::new((
            Mutex::new(Slot {
                waiting: VecDeque::new(),
                running: None,
                shutdown: false,
            }),
            Condvar::new(),
        ));
        let thread_shared = Arc::clone(&shared);
        let handle = spawn(name, move || serve(job, &thread_shared, &send));
        Queue {
            shared,
            policy,
            handle,
        }
    }

    /// Asks for `request`: with [`Policy::LatestWins`] it replaces the waiting request and
    /// cancels the running one.
    pub fn submit(&self, request: R) {
        let (lock, cvar) = &*self.shared;
        if let Ok(mut slot) = lock.lock() {
            if self.policy == Policy::LatestWins {
                slot.waiting.clear();
                if let Some(running) = &slot.running {
                    running.cancel();
                }
            }
            slot.waiting.push_back(request);
            cvar.notify_one();
        }
    }
}

impl<R: Send + 'static> Drop for Queue<R> {
    fn drop(&mut self) {
        let (lock, cvar) = &*self.shared;
        if let Ok(mut slot) = lock.lock() {
            slot.shutdown = true;
            if self.policy == Policy::LatestWins {
                slot.waiting.clear();
                if let Some(running) = &slot.running {
                    running.cancel();
                }
            }
            cvar.notify_one();
        }
        let handle = self.handle.take();
        if self.policy == Policy::InOrder {
            // Saves already asked for are not cut short by quitting.
            if let Some(handle) = handle {
                let _ = handle.join();
            }
        }
        // A cancelled job ends on its own; the explorer does not wait for it.
    }
}

/// The queue's thread: takes requests until shutdown (and, in order, until none wait).
fn serve<J: Job>(mut job: J, shared: &Shared<J::Request>, send: &Sink) {
    while let Some((request, cancel)) = next(shared) {
        let kept = job.keep(&request);
        let work = catch_unwind(AssertUnwindSafe(|| job.run(request, &cancel, send)));
        if let Ok(mut slot) = shared.0.lock() {
            slot.running = None;
        }
        let go_on = match work {
            Ok(go_on) => go_on,
            Err(panic) => match job.failed(kept, panic_text(panic.as_ref())) {
                Some(msg) => send(msg),
                None => true,
            },
        };
        if !go_on {
            return;
        }
    }
}

/// The next request and its cancellation, or `None` on shutdown.
fn next<R>(shared: &Shared<R>) -> Option<(R, Cancel)> {
    let (lock, cvar) = &**shared;
    let mut slot = lock.lock().ok()?;
    loop {
        if let Some(request) = slot.waiting.pop_front() {
            let cancel = Cancel::default();
            slot.running = Some(cancel.clone());
            return Some((request, cancel));
        }
        if slot.shutdown {
            return None;
        }
        slot = cvar.wait(slot).ok()?;
    }
}

/// Starts a named thread; `None` when the system refuses one (the work is then not done,
/// and its requests go unanswered rather than crashing the explorer).
pub fn spawn(name: &str, work: impl FnOnce() + Send + 'static) -> Option<JoinHandle<()>> {
    std::thread::Builder::new()
        .name(format!("driftscope-{name}"))
        .spawn(work)
        .ok()
}

/// The message of a caught panic.
pub fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    /// A job answering each request with a Timeline message carrying its id; request 0
    /// waits until cancelled, request 13 panics.
    struct Echo;

    impl Job for Echo {
        type Request = u64;

        fn run(&mut self, id: u64, cancel: &Cancel, send: &Sink) -> bool {
            if id == 13 {
                panic!("unlucky request");
            }
            if id == 0 {
                while !cancel.is_cancelled() {
                    std::thread::sleep(Duration::from_millis(5));
                }
                return send(Msg::Timeline {
                    id,
                    result: Err("cancelled".into()),
                });
            }
            send(Msg::Timeline {
                id,
                result: Ok(Arc::from(Vec::new())),
            })
        }

        fn failed(&self, id: u64, message: String) -> Option<Msg> {
            Some(Msg::Timeline {
                id,
                result: Err(message),
            })
        }

        fn keep(&self, id: &u64) -> u64 {
            *id
        }
    }

    fn sink() -> (Sink, mpsc::Receiver<Msg>) {
        let (tx, rx) = mpsc::channel();
        (super::sink(tx, |msg| msg), rx)
    }

    fn answer(rx: &mpsc::Receiver<Msg>) -> (u64, Result<(), String>) {
        match rx.recv_timeout(Duration::from_secs(10)) {
            Ok(Msg::Timeline { id, result }) => (id, result.map(|_| ())),
            other => panic!("expected an answer, got {other:?}"),
        }
    }

    #[test]
    fn a_newer_request_cancels_the_running_one() {
        let (send, rx) = sink();
        let queue = Queue::start("test", Policy::LatestWins, Echo, send);
        queue.submit(0);
        std::thread::sleep(Duration::from_millis(50));
        queue.submit(7);
        assert_eq!(answer(&rx), (0, Err("cancelled".into())));
        assert_eq!(answer(&rx), (7, Ok(())));
    }

    #[test]
    fn a_panic_answers_its_request_and_the_queue_goes_on() {
        let (send, rx) = sink();
        let queue = Queue::start("test", Policy::InOrder, Echo, send);
        queue.submit(13);
        queue.submit(14);
        assert_eq!(answer(&rx), (13, Err("unlucky request".into())));
        assert_eq!(answer(&rx), (14, Ok(())));
    }

    #[test]
    fn dropping_an_in_order_queue_finishes_every_request() {
        let (send, rx) = sink();
        let queue = Queue::start("test", Policy::InOrder, Echo, send);
        for id in 1..=20 {
            queue.submit(id);
        }
        drop(queue);
        let ids: Vec<u64> = rx
            .try_iter()
            .map(|m| match m {
                Msg::Timeline { id, .. } => id,
                _ => 0,
            })
            .collect();
        assert_eq!(ids, (1..=20).collect::<Vec<_>>());
    }

    #[test]
    fn dropping_a_latest_wins_queue_cancels_the_running_request() {
        let (send, rx) = sink();
        let queue = Queue::start("test", Policy::LatestWins, Echo, send);
        queue.submit(0);
        std::thread::sleep(Duration::from_millis(50));
        drop(queue);
        assert_eq!(answer(&rx), (0, Err("cancelled".into())));
    }
}
