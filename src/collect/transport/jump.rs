//! Jump hosts (`ProxyJump`) with `ssh2` itself: one authenticated session per jump
//! host, shared by every host behind it, and one `direct-tcpip` channel per host.
//!
//! libssh2 drives a session over a file descriptor, so each channel is bridged to one
//! end of a local socket pair; the other end becomes the next session's "TCP stream".
//! One relay thread per jump host owns its session in non-blocking mode and moves
//! bytes both ways for all its channels, waiting in `poll(2)` when nothing moves.
//!
//! A jump host's session may die mid-run (its sshd restarted, the link cut): the relay
//! thread then marks its hub dead and ends, and the next host behind that jump host
//! starts a new session instead of failing.

use std::collections::{HashMap, VecDeque};
use std::io::{ErrorKind, Read, Write};
use std::os::fd::OwnedFd;
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Instant;

use rustix::event::{PollFd, PollFlags, Timespec, poll};
use ssh2::{BlockDirections, Channel, Session};

/// libssh2's "would block" error code.
const LIBSSH2_ERROR_EAGAIN: i32 = -37;

/// libssh2's "the server refused to open the channel" error code.
const LIBSSH2_ERROR_CHANNEL_FAILURE: i32 = -21;

fn would_block(e: &ssh2::Error) -> bool {
    e.code() == ssh2::ErrorCode::Session(LIBSSH2_ERROR_EAGAIN)
}

/// Whether a failed channel open leaves the session usable: only a refusal by the
/// server does; any other error means the transport itself is broken.
fn session_survives(e: &ssh2::Error) -> bool {
    e.code() == ssh2::ErrorCode::Session(LIBSSH2_ERROR_CHANNEL_FAILURE)
}

/// Whether the peer has closed `socket` (or it failed), looked at without reading.
fn peer_closed(socket: &OwnedFd) -> bool {
    use rustix::net::{RecvFlags, recv};
    let mut byte = [0u8; 1];
    match recv(socket, &mut byte, RecvFlags::PEEK | RecvFlags::DONTWAIT) {
        Ok((0, _)) => true,
        Ok(_) => false,
        Err(e) => e != rustix::io::Errno::AGAIN && e != rustix::io::Errno::INTR,
    }
}

/// A request to open a channel to `host:port` through the jump host.
struct OpenRequest {
    host: String,
    port: u16,
    reply: Sender<Result<UnixStream, String>>,
}

/// A running jump host session and its relay thread.
#[derive(Debug)]
pub struct JumpHub {
    name: String,
    requests: Mutex<Sender<OpenRequest>>,
    wake: UnixStream,
    alive: Arc<AtomicBool>,
}

impl JumpHub {
    /// Starts relaying over `session`, which is authenticated; `socket` is a duplicate
    /// of the stream it runs over, to wait on. `name` (`user@host:port`) names the
    /// jump host in errors.
    pub fn start(session: Session, socket: OwnedFd, name: String) -> Result<JumpHub, String> {
        let (tx, rx) = mpsc::channel();
        let (wake, wake_rx) =
            UnixStream::pair().map_err(|e| format!("{name}: cannot make a socket pair: {e}"))?;
        wake_rx
            .set_nonblocking(true)
            .map_err(|e| format!("{name}: {e}"))?;
        let thread_name = name.clone();
        let alive = Arc::new(AtomicBool::new(true));
        let thread_alive = Arc::clone(&alive);
        thread::Builder::new()
            .name("driftscope-jump".into())
            .spawn(move || serve(session, socket, rx, wake_rx, thread_name, &thread_alive))
            .map_err(|e| format!("{name}: cannot start the relay thread: {e}"))?;
        Ok(JumpHub {
            name,
            requests: Mutex::new(tx),
            wake,
            alive,
        })
    }

    /// Whether its session still works: `false` once the jump host closed it or the
    /// connection broke.
    pub fn is_alive(&self) -> bool {
        self.alive.load(Ordering::SeqCst)
    }

    /// Opens a channel to `host:port` (as the jump host resolves it) and returns the
    /// local end that carries it.
    pub fn open(&self, host: &str, port: u16, deadline: Instant) -> Result<UnixStream, String> {
        let (reply, answer) = mpsc::channel();
        let request = OpenRequest {
            host: host.to_string(),
            port,
            reply,
        };
        let sent = match self.requests.lock() {
            Ok(tx) => tx.send(request).is_ok(),
            Err(_) => false,
        };
        if !sent {
            return Err(format!("jump host {}: its session has ended", self.name));
        }
        let _ = (&self.wake).write(&[1]);
        let left = deadline.saturating_duration_since(Instant::now());
        match answer.recv_timeout(left) {
            Ok(result) => result,
            Err(RecvTimeoutError::Disconnected) => {
                Err(format!("jump host {}: its session has ended", self.name))
            }
            Err(RecvTimeoutError::Timeout) => Err(format!(
                "jump host {}: timed out opening a channel to {host}:{port}",
                self.name
            )),
        }
    }
}

/// One jump host's place in the pool: empty until its first user has tried to start it.
type Slot = Arc<Mutex<Option<Result<Arc<JumpHub>, String>>>>;

/// The shared jump host sessions of one collection, keyed by route.
#[derive(Default)]
pub struct JumpPool {
    hubs: Mutex<HashMap<String, Slot>>,
}

impl std::fmt::Debug for JumpPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JumpPool")
    }
}

impl JumpPool {
    /// The hub for `key`, started with `start` by the first caller; the others wait
    /// for it. A failure is kept, so fifty hosts behind a refused bastion make one
    /// attempt, not fifty. A hub whose session has died is started again.
    pub fn get_or_start(
        &self,
        key: &str,
        start: impl FnOnce() -> Result<JumpHub, String>,
    ) -> Result<Arc<JumpHub>, String> {
        let slot = {
            let mut hubs = self
                .hubs
                .lock()
                .map_err(|_| "the jump host table is unusable".to_string())?;
            Arc::clone(hubs.entry(key.to_string()).or_default())
        };
        let mut slot = slot
            .lock()
            .map_err(|_| "the jump host table is unusable".to_string())?;
        match slot.as_ref() {
            Some(Ok(hub)) if !hub.is_alive() => {}
            Some(result) => return result.clone(),
            None => {}
        }
        let result = start().map(Arc::new);
        *slot = Some(result.clone());
        result
    }
}

/// One channel and its local socket.
struct Relay {
    channel: Channel,
    local: UnixStream,
    up: Vec<u8>,
    up_at: usize,
    down: Vec<u8>,
    down_at: usize,
    local_eof: bool,
    eof_sent: bool,
    remote_eof: bool,
    failed: bool,
}

impl Relay {
    fn new(channel: Channel, local: UnixStream) -> Relay {
        Relay {
            channel,
            local,
            up: Vec::new(),
            up_at: 0,
            down: Vec::new(),
            down_at: 0,
            local_eof: false,
            eof_sent: false,
            remote_eof: false,
            failed: false,
        }
    }

    fn done(&self) -> bool {
        self.failed || (self.remote_eof && self.eof_sent)
    }

    /// Moves what can be moved without blocking; whether anything moved.
    fn pump(&mut self, buf: &mut [u8]) -> bool {
        let mut moved = false;
        // This machine -> the host behind the jump host.
        loop {
            if self.up_at < self.up.len() {
                match self.channel.write(&self.up[self.up_at..]) {
                    Ok(0) => break,
                    Ok(n) => {
                        self.up_at += n;
                        moved = true;
                        continue;
                    }
                    Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                    Err(_) => {
                        self.failed = true;
                        return true;
                    }
                }
            }
            if self.local_eof {
                break;
            }
            match self.local.read(buf) {
                Ok(0) => {
                    self.local_eof = true;
                    moved = true;
                    break;
                }
                Ok(n) => {
                    self.up.clear();
                    self.up.extend_from_slice(&buf[..n]);
                    self.up_at = 0;
                    moved = true;
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(_) => {
                    self.local_eof = true;
                    break;
                }
            }
        }
        if self.local_eof && self.up_at >= self.up.len() && !self.eof_sent {
            match self.channel.send_eof() {
                Ok(()) => {
                    self.eof_sent = true;
                    moved = true;
                }
                Err(e) if would_block(&e) => {}
                Err(_) => self.failed = true,
            }
        }
        // The host behind the jump host -> this machine.
        loop {
            if self.down_at < self.down.len() {
                match self.local.write(&self.down[self.down_at..]) {
                    Ok(n) => {
                        self.down_at += n;
                        moved = true;
                        continue;
                    }
                    Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                    Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                    Err(_) => {
                        self.failed = true;
                        return true;
                    }
                }
            }
            if self.remote_eof {
                break;
            }
            match self.channel.read(buf) {
                Ok(0) => {
                    if self.channel.eof() {
                        self.remote_eof = true;
                        let _ = self.local.shutdown(std::net::Shutdown::Write);
                        moved = true;
                    }
                    break;
                }
                Ok(n) => {
                    self.down.clear();
                    self.down.extend_from_slice(&buf[..n]);
                    self.down_at = 0;
                    moved = true;
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(_) => {
                    self.failed = true;
                    return true;
                }
            }
        }
        moved
    }
}

/// The relay thread: opens channels on request and moves bytes until the hub is
/// dropped and every channel has closed.
fn serve(
    session: Session,
    socket: OwnedFd,
    requests: Receiver<OpenRequest>,
    mut wake: UnixStream,
    name: String,
    alive: &AtomicBool,
) {
    session.set_blocking(false);
    let mut relays: Vec<Relay> = Vec::new();
    let mut closing: Vec<Channel> = Vec::new();
    let mut pending: VecDeque<OpenRequest> = VecDeque::new();
    let mut hub_dropped = false;
    let mut buf = vec![0u8; 64 * 1024];
    let mut scratch = [0u8; 64];
    loop {
        let mut moved = false;
        while matches!(wake.read(&mut scratch), Ok(n) if n > 0) {}
        loop {
            match requests.try_recv() {
                Ok(request) => pending.push_back(request),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    hub_dropped = true;
                    break;
                }
            }
        }
        // libssh2 opens one direct-tcpip channel at a time.
        if let Some(request) = pending.front() {
            match session.channel_direct_tcpip(&request.host, request.port, None) {
                Err(e) if would_block(&e) => {}
                Err(e) if !session_survives(&e) => {
                    // The transport is gone: say so to every waiting host and end.
                    alive.store(false, Ordering::SeqCst);
                    for request in pending.drain(..) {
                        let _ = request.reply.send(Err(format!(
                            "jump host {name}: its session has ended: {}",
                            e.message()
                        )));
                    }
                    break;
                }
                opened => {
                    moved = true;
                    if let Some(request) = pending.pop_front() {
                        let answer = opened
                            .map_err(|e| {
                                format!(
                                    "jump host {name}: cannot reach {}:{}: {}",
                                    request.host,
                                    request.port,
                                    e.message()
                                )
                            })
                            .and_then(|channel| {
                                let (ours, theirs) = UnixStream::pair()
                                    .map_err(|e| format!("cannot make a socket pair: {e}"))?;
                                ours.set_nonblocking(true)
                                    .map_err(|e| format!("cannot make a socket pair: {e}"))?;
                                relays.push(Relay::new(channel, ours));
                                Ok(theirs)
                            });
                        let _ = request.reply.send(answer);
                    }
                }
            }
        }
        for relay in &mut relays {
            moved |= relay.pump(&mut buf);
        }
        let mut i = 0;
        while i < relays.len() {
            if relays[i].done() {
                closing.push(relays.swap_remove(i).channel);
                moved = true;
            } else {
                i += 1;
            }
        }
        closing.retain_mut(|channel| matches!(channel.close(), Err(e) if would_block(&e)));
        if hub_dropped && relays.is_empty() && pending.is_empty() {
            break;
        }
        if relays.is_empty() && pending.is_empty() && closing.is_empty() && peer_closed(&socket) {
            // The jump host closed the session while nothing used it.
            alive.store(false, Ordering::SeqCst);
            break;
        }
        if !moved {
            wait(
                &session,
                &socket,
                &wake,
                &relays,
                !pending.is_empty() || !closing.is_empty(),
            );
        }
    }
    // Dead before the request channel and any waiting reply drop, so a host told
    // "its session has ended" finds the hub dead and opens a new one.
    alive.store(false, Ordering::SeqCst);
    session.set_blocking(true);
    session.set_timeout(2000);
    let _ = session.disconnect(None, "driftscope done", None);
}

/// Sleeps until the session's socket, the wake socket or a local socket is ready.
fn wait(session: &Session, socket: &OwnedFd, wake: &UnixStream, relays: &[Relay], busy: bool) {
    let outbound = matches!(
        session.block_directions(),
        BlockDirections::Outbound | BlockDirections::Both
    );
    let mut session_events = PollFlags::IN;
    if outbound {
        session_events |= PollFlags::OUT;
    }
    let mut fds = Vec::with_capacity(relays.len() + 2);
    fds.push(PollFd::new(socket, session_events));
    fds.push(PollFd::new(wake, PollFlags::IN));
    for relay in relays {
        let mut events = PollFlags::empty();
        if !relay.local_eof && relay.up_at >= relay.up.len() {
            events |= PollFlags::IN;
        }
        if relay.down_at < relay.down.len() {
            events |= PollFlags::OUT;
        }
        fds.push(PollFd::new(&relay.local, events));
    }
    // libssh2 may hold packets it read for one channel while serving another, so a
    // wait with channels open is kept short.
    let timeout = if relays.is_empty() && !busy {
        Timespec {
            tv_sec: 1,
            tv_nsec: 0,
        }
    } else {
        Timespec {
            tv_sec: 0,
            tv_nsec: 5_000_000,
        }
    };
    // An interrupted or failed wait only means another pass.
    let _ = poll(&mut fds, Some(&timeout));
}
