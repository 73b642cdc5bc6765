//! Messages into `update` (input, time, background results) and effects out of it.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use ratatui::crossterm::event::{KeyEvent, MouseEvent};

use crate::diff::DriftReport;

use super::action::Action;
use super::fact_history::{FactHistoryRequest, FactHistoryResult};
use super::hosts::{HostsAnswer, HostsRequest};
use super::refresh::{RefreshEvent, RefreshRequest};
use super::review::{AnnotationChange, LoadedAnnotations, SavedAnnotations};
use super::timeline::TimelineRequest;
use crate::store::{SideRef, TimelinePoint};

/// Everything that can change the state.
#[derive(Debug, Clone)]
pub enum Msg {
    /// A key was pressed.
    Key(KeyEvent),
    /// The mouse was clicked or scrolled.
    Mouse(MouseEvent),
    /// The terminal was resized to `(width, height)`.
    Resize(u16, u16),
    /// Time passed.
    Tick(DateTime<Utc>),
    /// An action, as if its key had been pressed.
    Action(Action),
    /// A comparison finished.
    Compared {
        /// The request's generation; stale results are dropped.
        generation: u64,
        /// The environment behind each side, baseline first.
        side_envs: Vec<usize>,
        /// The report, or a one-line reason it could not be made.
        result: Result<Arc<DriftReport>, String>,
        /// True when the report includes equal facts; a drift-only report comes first
        /// and is replaced by the complete one.
        complete: bool,
    },
    /// The drift count of an environment outside the comparison, against the baseline.
    EnvDrift {
        /// The request's generation.
        generation: u64,
        /// The environment.
        env: usize,
        /// Its drift count against the baseline.
        drift: usize,
    },
    /// A timeline was computed.
    Timeline {
        /// The request's number; answers to older requests are dropped.
        id: u64,
        /// The points, oldest first, or a one-line reason there are none.
        result: Result<Arc<[TimelinePoint]>, String>,
    },
    /// A fact's history was read.
    FactHistory {
        /// The request's number; answers to older requests are dropped.
        id: u64,
        /// The history, or a one-line reason it could not be read.
        result: Result<FactHistoryResult, String>,
    },
    /// An environment's hosts were ranked, or one host compared with its peers.
    Hosts {
        /// The request's number; answers to older requests are dropped.
        id: u64,
        /// The answer, or a one-line reason there is none.
        result: Result<HostsAnswer, String>,
    },
    /// The workspace's annotations were read, or a one-line reason they could not be.
    AnnotationsLoaded(Result<LoadedAnnotations, String>),
    /// An annotation change was saved, or a one-line reason it was not.
    AnnotationsSaved {
        /// The change's number, as in [`Effect::Annotate`].
        job: u64,
        /// The annotations after the change and what was done, or the failure.
        result: Result<SavedAnnotations, String>,
    },
    /// A background refresh made progress.
    Refresh(RefreshEvent),
}

/// Work that `update` asks the runtime to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Compare environments in the background.
    Compare(CompareRequest),
    /// Compute a timeline in the background.
    Timeline(TimelineRequest),
    /// Read a fact's history in the background.
    FactHistory(FactHistoryRequest),
    /// Rank an environment's hosts, or compare one with its peers, in the background.
    Hosts(HostsRequest),
    /// Change the workspace's annotations in the background (and save them).
    Annotate {
        /// Numbers changes, so the result can be matched with its prompt.
        job: u64,
        /// The change.
        change: AnnotationChange,
    },
    /// Collect environments' hosts again in the background and store their snapshots.
    Refresh(RefreshRequest),
}

/// A comparison to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompareRequest {
    /// Numbers requests; only the newest result is used.
    pub generation: u64,
    /// `(index, side)` of each compared side, baseline first: the environment's index
    /// and its newest snapshots or a point of its timeline (of one host, maybe).
    pub sides: Vec<(usize, SideRef)>,
    /// `(index, side)` of environments outside the comparison (their newest snapshots),
    /// to count their drift against the baseline afterwards.
    pub others: Vec<(usize, SideRef)>,
}
