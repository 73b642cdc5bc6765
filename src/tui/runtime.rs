//! The event loop: input and background results become messages, `update` turns them
//! into a new state, and the screen is redrawn. The UI thread never waits on work.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use chrono::Utc;
use color_eyre::eyre::{Result, eyre};
use ratatui::crossterm::event::{self, Event, KeyEventKind};
use ratatui::layout::Rect;

use crate::collect::CollectOptions;
use crate::store::Workspace;

use super::background::{Background, Outcome};
use super::keymap::Keymap;
use super::message::Msg;
use super::signals;
use super::state::{CompareStatus, State};
use super::terminal::TerminalGuard;
use super::theme::{Theme, no_color_requested};
use super::{TuiOptions, render, update, workspace_info};

/// How long the first frame waits for the first comparison, so a fast one is drawn at once.
const FIRST_COMPARE_WAIT: Duration = Duration::from_millis(250);
/// How often the clock (snapshot ages) is refreshed when nothing else happens.
const TICK: Duration = Duration::from_secs(15);
/// How often the input thread checks whether it should stop.
const INPUT_POLL: Duration = Duration::from_millis(100);

pub fn run(workspace: Workspace, options: TuiOptions) -> Result<()> {
    let theme = Theme::resolve(
        options.theme.as_deref(),
        options.no_color || no_color_requested(),
    )?;
    let keymap = Keymap::load(options.keymap.as_deref())?;
    if !std::io::stdout().is_terminal() {
        return Err(eyre!(
            "the explorer needs a terminal; for plain output use `driftscope diff`"
        ));
    }
    let mut state = State::new(workspace_info(&workspace), keymap, Utc::now());
    let effects = update::start(&mut state);

    let (tx, rx) = mpsc::channel::<Outcome>();
    let background = Background::new(workspace, tx.clone(), CollectOptions::default());
    background.perform(effects);

    let signals = signals::watch(tx.clone())?;
    let mut guard = TerminalGuard::enter()?;
    let size = guard.terminal.size()?;
    state.area = Rect::new(0, 0, size.width, size.height);

    let stop = Arc::new(AtomicBool::new(false));
    let input = spawn_input(tx, stop.clone())?;

    let result = (|| -> Result<Option<i32>> {
        // A fast first comparison is shown in the very first frame.
        let deadline = Instant::now() + FIRST_COMPARE_WAIT;
        while state.status == CompareStatus::Running {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(outcome) => {
                    if let Flow::Stop(signal) = handle(&mut state, &background, outcome)? {
                        return Ok(Some(signal));
                    }
                }
                Err(_) => break,
            }
        }
        let mut first_frame = true;
        loop {
            guard.terminal.draw(|frame| {
                render(frame, &state, &theme);
            })?;
            if std::mem::take(&mut first_frame) {
                panic_if_asked();
            }
            if state.quit {
                return Ok(None);
            }
            match rx.recv_timeout(TICK) {
                Ok(outcome) => {
                    if let Flow::Stop(signal) = handle(&mut state, &background, outcome)? {
                        return Ok(Some(signal));
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    update(&mut state, Msg::Tick(Utc::now()));
                }
                Err(RecvTimeoutError::Disconnected) => return Ok(None),
            }
            // Take everything already waiting before drawing again (wheel bursts, resizes).
            while let Ok(outcome) = rx.try_recv() {
                if let Flow::Stop(signal) = handle(&mut state, &background, outcome)? {
                    return Ok(Some(signal));
                }
                if state.quit {
                    break;
                }
            }
        }
    })();
    stop.store(true, Ordering::SeqCst);
    drop(guard);
    // The input thread sees `stop` at its next poll; quitting does not wait for it.
    drop(input);
    // Annotation changes already asked for are saved before the explorer exits.
    drop(background);
    if let Ok(Some(signal)) = result {
        // Asked to stop from outside: the terminal is back; end as the signal would.
        std::process::exit(128 + signal);
    }
    drop(signals);
    result.map(|_| ())
}

/// Whether the loop goes on after an outcome.
enum Flow {
    /// Keep going.
    Continue,
    /// A termination signal arrived: stop now.
    Stop(i32),
}

fn handle(state: &mut State, background: &Background, outcome: Outcome) -> Result<Flow> {
    match outcome {
        Outcome::Msg(msg) => {
            background.perform(update(state, msg));
            Ok(Flow::Continue)
        }
        Outcome::Signal(signal) => Ok(Flow::Stop(signal)),
        Outcome::Fatal(message) => Err(eyre!(message)),
    }
}

/// Debug builds panic after the first frame when `DRIFTSCOPE_TEST_PANIC` is set, so a
/// test can check that a panic restores the terminal. Release builds ignore it.
// The panic is the point: it is what the test checks recovery from.
#[allow(clippy::panic)]
fn panic_if_asked() {
    if cfg!(debug_assertions) && std::env::var_os("DRIFTSCOPE_TEST_PANIC").is_some() {
        panic!("DRIFTSCOPE_TEST_PANIC is set: panicking after the first frame");
    }
}

/// Reads terminal events on their own thread and forwards them as messages.
fn spawn_input(tx: Sender<Outcome>, stop: Arc<AtomicBool>) -> Result<std::thread::JoinHandle<()>> {
    super::jobs::spawn("input", move || {
        while !stop.load(Ordering::SeqCst) {
            match event::poll(INPUT_POLL) {
                Ok(false) => continue,
                Ok(true) => {}
                Err(e) => {
                    let _ = tx.send(Outcome::Fatal(format!("cannot read the terminal: {e}")));
                    return;
                }
            }
            let msg = match event::read() {
                Ok(Event::Key(key)) if key.kind != KeyEventKind::Release => Msg::Key(key),
                Ok(Event::Mouse(mouse)) => Msg::Mouse(mouse),
                Ok(Event::Resize(w, h)) => Msg::Resize(w, h),
                Ok(_) => continue,
                Err(e) => {
                    let _ = tx.send(Outcome::Fatal(format!("cannot read the terminal: {e}")));
                    return;
                }
            };
            if tx.send(Outcome::Msg(msg)).is_err() {
                return;
            }
        }
    })
    .ok_or_else(|| eyre!("cannot start the input thread"))
}
