//! Termination signals while the explorer runs. SIGTERM, SIGHUP and SIGINT become a
//! message to the UI loop, which stops and restores the terminal; should the loop not
//! stop in time (or a second signal arrive), the terminal is restored here and the
//! process ends.

use std::io;
use std::sync::mpsc::Sender;
use std::thread::JoinHandle;
use std::time::Duration;

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::{Handle, Signals};

use super::background::Outcome;
use super::terminal;

/// How long the UI loop has to stop after a signal.
const GRACE: Duration = Duration::from_secs(2);

/// Watches for termination signals until dropped.
pub struct SignalWatch {
    handle: Handle,
    thread: Option<JoinHandle<()>>,
}

/// Starts watching; each signal is sent to `tx` as [`Outcome::Signal`].
pub fn watch(tx: Sender<Outcome>) -> io::Result<SignalWatch> {
    let mut signals = Signals::new([SIGTERM, SIGHUP, SIGINT])?;
    let handle = signals.handle();
    let thread = super::jobs::spawn("signals", move || {
        let mut asked = false;
        for signal in signals.forever() {
            if asked || tx.send(Outcome::Signal(signal)).is_err() {
                force_exit(signal);
            }
            asked = true;
            super::jobs::spawn("signal-grace", move || {
                std::thread::sleep(GRACE);
                force_exit(signal);
            });
        }
    });
    let thread = thread.ok_or_else(|| io::Error::other("cannot start the signal thread"))?;
    Ok(SignalWatch {
        handle,
        thread: Some(thread),
    })
}

/// Restores the terminal and ends the process as the signal would have.
fn force_exit(signal: i32) -> ! {
    terminal::restore();
    std::process::exit(128 + signal);
}

impl Drop for SignalWatch {
    fn drop(&mut self) {
        self.handle.close();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
