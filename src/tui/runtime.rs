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

use crate::store::Workspace;

use super::annotator::Annotator;
use super::keymap::Keymap;
use super::message::{Effect, Msg};
use super::state::{CompareStatus, State};
use super::terminal::TerminalGuard;
use super::theme::{Theme, no_color_requested};
use super::worker::{Outcome, Worker};
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
    let workspace = Arc::new(workspace);
    let worker = Worker::spawn(workspace.clone(), tx.clone());
    let annotator = Annotator::spawn(workspace, tx.clone());
    perform(&worker, &annotator, effects);

    let mut guard = TerminalGuard::enter()?;
    let size = guard.terminal.size()?;
    state.area = Rect::new(0, 0, size.width, size.height);

    let stop = Arc::new(AtomicBool::new(false));
    let input = spawn_input(tx, stop.clone());

    // A fast first comparison is shown in the very first frame.
    let deadline = Instant::now() + FIRST_COMPARE_WAIT;
    while state.status == CompareStatus::Running {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(outcome) => handle(&mut state, &worker, &annotator, outcome)?,
            Err(_) => break,
        }
    }

    let result = (|| -> Result<()> {
        loop {
            guard.terminal.draw(|frame| {
                render(frame, &state, &theme);
            })?;
            if state.quit {
                return Ok(());
            }
            match rx.recv_timeout(TICK) {
                Ok(outcome) => handle(&mut state, &worker, &annotator, outcome)?,
                Err(RecvTimeoutError::Timeout) => {
                    update(&mut state, Msg::Tick(Utc::now()));
                }
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            }
            // Take everything already waiting before drawing again (wheel bursts, resizes).
            while let Ok(outcome) = rx.try_recv() {
                handle(&mut state, &worker, &annotator, outcome)?;
                if state.quit {
                    break;
                }
            }
        }
    })();
    stop.store(true, Ordering::SeqCst);
    drop(guard);
    let _ = input.join();
    // Changes already asked for are saved before the explorer exits.
    drop(annotator);
    result
}

fn handle(
    state: &mut State,
    worker: &Worker,
    annotator: &Annotator,
    outcome: Outcome,
) -> Result<()> {
    match outcome {
        Outcome::Msg(msg) => {
            let effects = update(state, msg);
            perform(worker, annotator, effects);
            Ok(())
        }
        Outcome::Fatal(message) => Err(eyre!(message)),
    }
}

fn perform(worker: &Worker, annotator: &Annotator, effects: Vec<Effect>) {
    for effect in effects {
        match effect {
            Effect::Compare(request) => worker.submit(request),
            Effect::Annotate { job, change } => annotator.submit(job, change),
        }
    }
}

/// Reads terminal events on their own thread and forwards them as messages.
fn spawn_input(tx: Sender<Outcome>, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
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
}
