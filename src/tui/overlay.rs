//! The overlays over the panes — the filter being typed, help, a timeline, a fact's
//! history, the reason prompt, an environment's hosts — on one stack. Each overlay owns its state; the top one
//! gets the keys and the mouse. What every overlay shares (help opens over it, `back` and
//! its own key close it, `quit` closes a view that is only looked at and quits from the
//! others) is decided here, in one place; what is particular to one overlay lives in its
//! module (`help`, `timeline`, `fact_history`, `prompt`).

use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

use super::action::Action;
use super::fact_history::{self, FactHistoryView};
use super::help::{self, HelpView};
use super::hosts::{self, HostsView};
use super::message::Effect;
use super::prompt::{self, Prompt};
use super::state::{Mode, State};
use super::timeline::{self, TimelineView};

/// One overlay and its state.
#[derive(Debug, Clone)]
pub enum Overlay {
    /// Typing the facts filter (the text itself is [`State::filter`], kept after closing).
    Filter,
    /// The help screen.
    Help(HelpView),
    /// An environment's (or host's) timeline, to pick points to compare.
    Timeline(TimelineView),
    /// A fact's history.
    History(FactHistoryView),
    /// The reason prompt of a justification or remediation.
    Prompt(Box<Prompt>),
    /// An environment's hosts, or one host against its peers.
    Hosts(HostsView),
}

impl Overlay {
    /// What the keyboard is doing while this overlay is on top.
    pub fn mode(&self) -> Mode {
        match self {
            Overlay::Filter => Mode::Filter,
            Overlay::Help(_) => Mode::Help,
            Overlay::Timeline(_) => Mode::Timeline,
            Overlay::History(_) => Mode::History,
            Overlay::Prompt(_) => Mode::Prompt,
            Overlay::Hosts(_) => Mode::Hosts,
        }
    }

    /// The action that opens this overlay and, pressed again, closes it.
    fn toggle(&self) -> Option<Action> {
        match self {
            Overlay::Help(_) => Some(Action::ToggleHelp),
            Overlay::Timeline(_) => Some(Action::OpenTimeline),
            Overlay::History(_) => Some(Action::FactHistory),
            Overlay::Hosts(_) => Some(Action::OpenHosts),
            Overlay::Filter | Overlay::Prompt(_) => None,
        }
    }

    /// True when `quit` closes this overlay rather than the explorer: views that are only
    /// looked at.
    fn quit_closes(&self) -> bool {
        matches!(
            self,
            Overlay::Help(_) | Overlay::History(_) | Overlay::Hosts(_)
        )
    }

    /// True when help may open over this overlay (not while typing).
    fn allows_help(&self) -> bool {
        matches!(
            self,
            Overlay::Timeline(_) | Overlay::History(_) | Overlay::Hosts(_)
        )
    }
}

/// The stack of open overlays, bottom first. At most one overlay of each kind is open.
#[derive(Debug, Clone, Default)]
pub struct Overlays(Vec<Overlay>);

impl Overlays {
    /// Opens `overlay` on top, closing any open overlay of the same kind first.
    pub fn push(&mut self, overlay: Overlay) {
        let mode = overlay.mode();
        self.0.retain(|o| o.mode() != mode);
        self.0.push(overlay);
    }

    /// Closes the top overlay and returns it.
    pub fn pop(&mut self) -> Option<Overlay> {
        self.0.pop()
    }

    /// Closes the overlay of `mode`, wherever it is in the stack.
    pub fn close(&mut self, mode: Mode) {
        self.0.retain(|o| o.mode() != mode);
    }

    /// The top overlay.
    pub fn top(&self) -> Option<&Overlay> {
        self.0.last()
    }

    /// The top overlay, to change it.
    pub fn top_mut(&mut self) -> Option<&mut Overlay> {
        self.0.last_mut()
    }

    /// The top overlay's mode, or browsing when none is open.
    pub fn mode(&self) -> Mode {
        self.top().map_or(Mode::Browse, Overlay::mode)
    }

    /// True when an overlay of `mode` is open.
    pub fn is_open(&self, mode: Mode) -> bool {
        self.0.iter().any(|o| o.mode() == mode)
    }

    /// The open overlays, bottom first.
    pub fn iter(&self) -> impl Iterator<Item = &Overlay> {
        self.0.iter()
    }

    /// The open overlays, bottom first, to change them.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Overlay> {
        self.0.iter_mut()
    }

    /// The open timeline, to change it.
    pub fn timeline_mut(&mut self) -> Option<&mut TimelineView> {
        self.iter_mut().find_map(|o| match o {
            Overlay::Timeline(view) => Some(view),
            _ => None,
        })
    }

    /// The open fact history, to change it.
    pub fn history_mut(&mut self) -> Option<&mut FactHistoryView> {
        self.iter_mut().find_map(|o| match o {
            Overlay::History(view) => Some(view),
            _ => None,
        })
    }

    /// The open hosts overlay, to change it.
    pub fn hosts_mut(&mut self) -> Option<&mut HostsView> {
        self.iter_mut().find_map(|o| match o {
            Overlay::Hosts(view) => Some(view),
            _ => None,
        })
    }

    /// The open reason prompt, to change it.
    pub fn prompt_mut(&mut self) -> Option<&mut Prompt> {
        self.iter_mut().find_map(|o| match o {
            Overlay::Prompt(prompt) => Some(prompt.as_mut()),
            _ => None,
        })
    }

    /// The open help screen, to change it.
    pub fn help_mut(&mut self) -> Option<&mut HelpView> {
        self.iter_mut().find_map(|o| match o {
            Overlay::Help(help) => Some(help),
            _ => None,
        })
    }
}

/// Applies `action` to the top overlay. `None` when the panes should handle it: no overlay
/// is open, or the filter was being typed (any other action ends typing and goes on).
pub fn apply(state: &mut State, action: Action) -> Option<Vec<Effect>> {
    let top = state.overlays.top()?;
    if matches!(top, Overlay::Filter) {
        state.overlays.pop();
        return None;
    }
    let toggle = top.toggle();
    let quit_closes = top.quit_closes();
    let allows_help = top.allows_help();
    let mode = top.mode();
    match action {
        // Back from a host's peers returns to the hosts' ranking.
        Action::Back if mode == Mode::Hosts && hosts::back(state) => {
            return Some(Vec::new());
        }
        Action::Quit if !quit_closes => {
            state.quit = true;
            return Some(Vec::new());
        }
        Action::Quit | Action::Back => {
            close(state, mode);
            return Some(Vec::new());
        }
        a if Some(a) == toggle => {
            close(state, mode);
            return Some(Vec::new());
        }
        Action::ToggleHelp if allows_help => {
            state.overlays.push(Overlay::Help(HelpView::default()));
            return Some(Vec::new());
        }
        _ => {}
    }
    Some(match mode {
        Mode::Help => {
            help::apply(state, action);
            Vec::new()
        }
        Mode::Timeline => timeline::apply(state, action),
        Mode::History => fact_history::apply(state, action),
        Mode::Hosts => hosts::apply(state, action),
        // The prompt takes text; other actions (but quit and back) wait until it closes.
        Mode::Prompt | Mode::Filter | Mode::Browse => Vec::new(),
    })
}

/// Closes the overlay of `mode`, with what closing it means.
fn close(state: &mut State, mode: Mode) {
    match mode {
        Mode::Prompt => prompt::close(state),
        other => state.overlays.close(other),
    }
}

/// Gives a mouse event to the top overlay; false when the panes should handle it.
pub fn on_mouse(state: &mut State, mouse: MouseEvent) -> bool {
    match state.mode() {
        Mode::Browse => false,
        Mode::Filter => {
            if mouse.kind == MouseEventKind::Down(MouseButton::Left) {
                state.overlays.pop();
            }
            false
        }
        Mode::Prompt => true,
        Mode::Help => {
            help::on_mouse(state, mouse);
            true
        }
        Mode::Timeline => {
            timeline::on_mouse(state, mouse);
            true
        }
        Mode::History => {
            fact_history::on_mouse(state, mouse);
            true
        }
        Mode::Hosts => {
            hosts::on_mouse(state, mouse);
            true
        }
    }
}
