//! The named actions of the explorer. Their snake_case names are the keymap's vocabulary.

use serde::{Deserialize, Serialize};

/// Something the user asks for, independent of the key that asked.
///
/// The serde names (`select_next`, `toggle_help`, …) are what keymap files bind keys to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Leave the explorer.
    Quit,
    /// Show or hide the help screen.
    ToggleHelp,
    /// Move the focus to the next pane.
    FocusNextPane,
    /// Move the focus to the previous pane.
    FocusPrevPane,
    /// Select the next row (or scroll down one line).
    SelectNext,
    /// Select the previous row (or scroll up one line).
    SelectPrev,
    /// Jump to the first row.
    SelectFirst,
    /// Jump to the last row.
    SelectLast,
    /// Move one page down.
    PageDown,
    /// Move one page up.
    PageUp,
    /// Open the selected item in the next pane.
    DrillIn,
    /// Go back to the previous pane (or close the help, or clear the filter).
    Back,
    /// Jump to the next unreviewed drift, across categories.
    NextDrift,
    /// Jump to the previous unreviewed drift, across categories.
    PrevDrift,
    /// Start typing a fuzzy filter for the facts.
    StartFilter,
    /// Show every fact, or only drifting ones.
    ToggleShowAll,
    /// Add the selected environment to the comparison, or remove it.
    ToggleCompare,
    /// Make the selected environment the baseline.
    SetBaseline,
    /// Collect the compared environments again, in the background, and compare afresh.
    Refresh,
    /// In a text diff of 3+ environments, compare the baseline with the next environment.
    NextSide,
    /// In a text diff of 3+ environments, compare the baseline with the previous environment.
    PrevSide,
    /// Scroll the diff left.
    ScrollLeft,
    /// Scroll the diff right.
    ScrollRight,
    /// Open (or close) the timeline of the environment under the cursor, or the baseline's.
    OpenTimeline,
    /// In the timeline, mark the selected point as the first side (A) of a comparison.
    MarkPoint,
    /// In the timeline, compare the marked point (A) with the selected one (B).
    ComparePoints,
    /// Show the history of the selected fact: each value it held and when.
    FactHistory,
    /// Justify the selected drift: open the reason prompt.
    Justify,
    /// Mark the selected drift for remediation: open the reason prompt.
    Remediate,
    /// Remove the selected drift's annotation.
    ClearAnnotation,
    /// Take back the last annotation change of this session.
    UndoAnnotation,
    /// Cycle the review filter: all drift, unreviewed, justified, to remediate.
    CycleReviewFilter,
}

/// Where an action is listed on the help screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ActionGroup {
    /// Moving around.
    Navigation,
    /// Choosing environments.
    Environments,
    /// Facts and filters.
    Facts,
    /// The diff pane.
    Diff,
    /// The timeline and a fact's history.
    Timeline,
    /// Reviewing drift: annotations and the review filter.
    Review,
    /// Help and quitting.
    General,
}

impl ActionGroup {
    /// The group's heading.
    pub fn title(self) -> &'static str {
        match self {
            ActionGroup::Navigation => "Navigation",
            ActionGroup::Environments => "Environments",
            ActionGroup::Facts => "Facts",
            ActionGroup::Diff => "Diff",
            ActionGroup::Timeline => "Timeline and history",
            ActionGroup::Review => "Review",
            ActionGroup::General => "General",
        }
    }
}

impl Action {
    /// Every action, in help-screen order.
    pub const ALL: [Action; 32] = [
        Action::SelectNext,
        Action::SelectPrev,
        Action::SelectFirst,
        Action::SelectLast,
        Action::PageDown,
        Action::PageUp,
        Action::FocusNextPane,
        Action::FocusPrevPane,
        Action::DrillIn,
        Action::Back,
        Action::ToggleCompare,
        Action::SetBaseline,
        Action::Refresh,
        Action::NextDrift,
        Action::PrevDrift,
        Action::StartFilter,
        Action::ToggleShowAll,
        Action::NextSide,
        Action::PrevSide,
        Action::ScrollLeft,
        Action::ScrollRight,
        Action::OpenTimeline,
        Action::MarkPoint,
        Action::ComparePoints,
        Action::FactHistory,
        Action::Justify,
        Action::Remediate,
        Action::ClearAnnotation,
        Action::UndoAnnotation,
        Action::CycleReviewFilter,
        Action::ToggleHelp,
        Action::Quit,
    ];

    /// The name used in keymap files (the serde name).
    pub fn name(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::ToggleHelp => "toggle_help",
            Action::FocusNextPane => "focus_next_pane",
            Action::FocusPrevPane => "focus_prev_pane",
            Action::SelectNext => "select_next",
            Action::SelectPrev => "select_prev",
            Action::SelectFirst => "select_first",
            Action::SelectLast => "select_last",
            Action::PageDown => "page_down",
            Action::PageUp => "page_up",
            Action::DrillIn => "drill_in",
            Action::Back => "back",
            Action::NextDrift => "next_drift",
            Action::PrevDrift => "prev_drift",
            Action::StartFilter => "start_filter",
            Action::ToggleShowAll => "toggle_show_all",
            Action::ToggleCompare => "toggle_compare",
            Action::SetBaseline => "set_baseline",
            Action::Refresh => "refresh",
            Action::NextSide => "next_side",
            Action::PrevSide => "prev_side",
            Action::ScrollLeft => "scroll_left",
            Action::ScrollRight => "scroll_right",
            Action::OpenTimeline => "open_timeline",
            Action::MarkPoint => "mark_point",
            Action::ComparePoints => "compare_points",
            Action::FactHistory => "fact_history",
            Action::Justify => "justify",
            Action::Remediate => "remediate",
            Action::ClearAnnotation => "clear_annotation",
            Action::UndoAnnotation => "undo_annotation",
            Action::CycleReviewFilter => "cycle_review_filter",
        }
    }

    /// The action named `name`, if there is one.
    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.name() == name)
    }

    /// A one-line description for the help screen.
    pub fn description(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::ToggleHelp => "show or hide this help",
            Action::FocusNextPane => "focus the next pane",
            Action::FocusPrevPane => "focus the previous pane",
            Action::SelectNext => "next row / scroll down",
            Action::SelectPrev => "previous row / scroll up",
            Action::SelectFirst => "first row / top",
            Action::SelectLast => "last row / bottom",
            Action::PageDown => "page down",
            Action::PageUp => "page up",
            Action::DrillIn => "open the selection",
            Action::Back => "go back (closes help, clears the filter)",
            Action::NextDrift => "next unreviewed drift (all categories)",
            Action::PrevDrift => "previous unreviewed drift",
            Action::StartFilter => "fuzzy-filter the facts",
            Action::ToggleShowAll => "show all facts / only drift",
            Action::ToggleCompare => "add / remove the environment from the comparison",
            Action::SetBaseline => "make the environment the baseline",
            Action::Refresh => "collect the compared environments again",
            Action::NextSide => "text diff: baseline vs the next environment",
            Action::PrevSide => "text diff: baseline vs the previous environment",
            Action::ScrollLeft => "scroll the diff left",
            Action::ScrollRight => "scroll the diff right",
            Action::OpenTimeline => "timeline of the environment (or the baseline); again to close",
            Action::MarkPoint => "timeline: mark the point as side A",
            Action::ComparePoints => "timeline: compare the marked point A with this one",
            Action::FactHistory => "history of the selected fact: each value and when",
            Action::Justify => "justify the drift, with a reason",
            Action::Remediate => "mark the drift to remediate, with a reason",
            Action::ClearAnnotation => "clear the drift's annotation",
            Action::UndoAnnotation => "undo the last annotation change",
            Action::CycleReviewFilter => "cycle the review filter",
        }
    }

    /// A word or two for the footer.
    pub fn short_label(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::ToggleHelp => "help",
            Action::FocusNextPane => "next pane",
            Action::FocusPrevPane => "prev pane",
            Action::SelectNext => "down",
            Action::SelectPrev => "up",
            Action::SelectFirst => "top",
            Action::SelectLast => "bottom",
            Action::PageDown => "page down",
            Action::PageUp => "page up",
            Action::DrillIn => "open",
            Action::Back => "back",
            Action::NextDrift => "next drift",
            Action::PrevDrift => "prev drift",
            Action::StartFilter => "filter",
            Action::ToggleShowAll => "all/drift",
            Action::ToggleCompare => "compare",
            Action::SetBaseline => "baseline",
            Action::Refresh => "refresh",
            Action::NextSide => "next env",
            Action::PrevSide => "prev env",
            Action::ScrollLeft => "left",
            Action::ScrollRight => "right",
            Action::OpenTimeline => "timeline",
            Action::MarkPoint => "mark A",
            Action::ComparePoints => "compare A",
            Action::FactHistory => "history",
            Action::Justify => "justify",
            Action::Remediate => "remediate",
            Action::ClearAnnotation => "clear",
            Action::UndoAnnotation => "undo",
            Action::CycleReviewFilter => "review filter",
        }
    }

    /// The help-screen group.
    pub fn group(self) -> ActionGroup {
        match self {
            Action::SelectNext
            | Action::SelectPrev
            | Action::SelectFirst
            | Action::SelectLast
            | Action::PageDown
            | Action::PageUp
            | Action::FocusNextPane
            | Action::FocusPrevPane
            | Action::DrillIn
            | Action::Back => ActionGroup::Navigation,
            Action::ToggleCompare | Action::SetBaseline | Action::Refresh => {
                ActionGroup::Environments
            }
            Action::NextDrift | Action::PrevDrift | Action::StartFilter | Action::ToggleShowAll => {
                ActionGroup::Facts
            }
            Action::NextSide | Action::PrevSide | Action::ScrollLeft | Action::ScrollRight => {
                ActionGroup::Diff
            }
            Action::OpenTimeline
            | Action::MarkPoint
            | Action::ComparePoints
            | Action::FactHistory => ActionGroup::Timeline,
            Action::Justify
            | Action::Remediate
            | Action::ClearAnnotation
            | Action::UndoAnnotation
            | Action::CycleReviewFilter => ActionGroup::Review,
            Action::ToggleHelp | Action::Quit => ActionGroup::General,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_the_serde_names_and_round_trip() {
        for action in Action::ALL {
            let json = serde_json::to_string(&action).unwrap();
            assert_eq!(json, format!("\"{}\"", action.name()));
            assert_eq!(Action::from_name(action.name()), Some(action));
        }
        assert_eq!(Action::from_name("launch_rockets"), None);
    }

    #[test]
    fn all_lists_each_action_once() {
        let mut names: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Action::ALL.len());
    }
}
