//! The named actions of the explorer. Their snake_case names are the keymap's vocabulary.
//!
//! Every action is defined once, in the table at the bottom of this file: its name, help
//! group, short footer label and description. The enum, [`Action::ALL`] (in help order)
//! and every lookup are generated from that table, so they cannot disagree.

use serde::{Deserialize, Serialize};

/// The groups of the help screen, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ActionGroup {
    /// Moving around.
    Navigation,
    /// Choosing what is compared.
    Environments,
    /// The facts list.
    Facts,
    /// The diff pane.
    Diff,
    /// Timelines and fact histories.
    Timeline,
    /// Justifying and remediating drift.
    Review,
    /// Editing text: the filter and the reason prompt.
    Editing,
    /// Help and quitting.
    General,
}

impl ActionGroup {
    /// The group's heading on the help screen.
    pub fn title(self) -> &'static str {
        match self {
            ActionGroup::Navigation => "Navigation",
            ActionGroup::Environments => "Environments",
            ActionGroup::Facts => "Facts",
            ActionGroup::Diff => "Diff",
            ActionGroup::Timeline => "Timeline and history",
            ActionGroup::Review => "Review",
            ActionGroup::Editing => "Text input (filter and reason prompt)",
            ActionGroup::General => "General",
        }
    }
}

/// Defines [`Action`] and its tables from one list of
/// `Variant = "name", Group, "short label", "description";` entries, in help order.
macro_rules! actions {
    ($($variant:ident = $name:literal, $group:ident, $label:literal, $description:literal;)*) => {
        /// Something the user can do; keys are bound to actions in the keymap.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Action {
            $(
                #[doc = $description]
                $variant,
            )*
        }

        impl Action {
            /// Every action, in the order the help screen lists them.
            pub const ALL: [Action; [$($name),*].len()] = [$(Action::$variant),*];

            /// The action's name in keymap files.
            pub fn name(self) -> &'static str {
                match self {
                    $(Action::$variant => $name,)*
                }
            }

            /// What the action does, for the help screen.
            pub fn description(self) -> &'static str {
                match self {
                    $(Action::$variant => $description,)*
                }
            }

            /// A word or two for the footer.
            pub fn short_label(self) -> &'static str {
                match self {
                    $(Action::$variant => $label,)*
                }
            }

            /// The help screen's group of the action.
            pub fn group(self) -> ActionGroup {
                match self {
                    $(Action::$variant => ActionGroup::$group,)*
                }
            }
        }
    };
}

actions! {
    SelectNext = "select_next", Navigation, "down", "next row / scroll down";
    SelectPrev = "select_prev", Navigation, "up", "previous row / scroll up";
    SelectFirst = "select_first", Navigation, "top", "first row / top";
    SelectLast = "select_last", Navigation, "bottom", "last row / bottom";
    PageDown = "page_down", Navigation, "page down", "page down";
    PageUp = "page_up", Navigation, "page up", "page up";
    FocusNextPane = "focus_next_pane", Navigation, "next pane", "focus the next pane";
    FocusPrevPane = "focus_prev_pane", Navigation, "prev pane", "focus the previous pane";
    DrillIn = "drill_in", Navigation, "open", "open the selection";
    Back = "back", Navigation, "back", "go back (closes help, clears the filter)";
    ToggleCompare = "toggle_compare", Environments, "compare", "add / remove the environment from the comparison";
    SetBaseline = "set_baseline", Environments, "baseline", "make the environment the baseline";
    Refresh = "refresh", Environments, "refresh", "collect the compared environments again";
    OpenHosts = "open_hosts", Environments, "hosts", "the environment's hosts, the most straying first; enter: one vs its peers";
    NextDrift = "next_drift", Facts, "next drift", "next unreviewed drift (all categories)";
    PrevDrift = "prev_drift", Facts, "prev drift", "previous unreviewed drift";
    StartFilter = "start_filter", Facts, "filter", "filter the facts: fuzzy, /regex/, ! negates";
    ToggleShowAll = "toggle_show_all", Facts, "all/drift", "show all facts / only drift";
    NextSide = "next_side", Diff, "next env", "text diff: baseline vs the next environment";
    PrevSide = "prev_side", Diff, "prev env", "text diff: baseline vs the previous environment";
    ScrollLeft = "scroll_left", Diff, "left", "scroll the diff left";
    ScrollRight = "scroll_right", Diff, "right", "scroll the diff right";
    NextHunk = "next_hunk", Diff, "next change", "text diff: the next changed hunk";
    PrevHunk = "prev_hunk", Diff, "prev change", "text diff: the previous changed hunk";
    ToggleAllHosts = "toggle_all_hosts", Diff, "all hosts", "where hosts disagree: every host, one per row / the summary";
    OpenTimeline = "open_timeline", Timeline, "timeline", "timeline of the environment (or the baseline); again to close";
    MarkPoint = "mark_point", Timeline, "mark A", "timeline: mark the point as side A";
    ComparePoints = "compare_points", Timeline, "compare A", "timeline: compare the marked point A with this one";
    FactHistory = "fact_history", Timeline, "history", "history of the selected fact: each value and when";
    Justify = "justify", Review, "justify", "justify the drift, with a reason";
    Remediate = "remediate", Review, "remediate", "mark the drift to remediate, with a reason";
    JustifyShown = "justify_shown", Review, "justify shown", "justify every drift the list shows that needs review, with one reason (the prompt names the count)";
    ClearAnnotation = "clear_annotation", Review, "clear", "clear the drift's annotation";
    UndoAnnotation = "undo_annotation", Review, "undo", "undo the last annotation change";
    CycleReviewFilter = "cycle_review_filter", Review, "review filter", "cycle the review filter";
    Submit = "submit", Editing, "save", "filter: keep it and browse; prompt: save";
    Cancel = "cancel", Editing, "cancel", "filter: clear it; prompt: cancel, nothing is saved";
    NextField = "next_field", Editing, "next field", "prompt: the next field";
    PrevField = "prev_field", Editing, "prev field", "prompt: the previous field";
    DeletePrevChar = "delete_prev_char", Editing, "delete", "delete the character before the cursor";
    DeleteNextChar = "delete_next_char", Editing, "delete next", "delete the character under the cursor";
    DeletePrevWord = "delete_prev_word", Editing, "delete word", "delete the word before the cursor";
    ClearInput = "clear_input", Editing, "clear", "clear the text";
    CursorLeft = "cursor_left", Editing, "left", "move the cursor left";
    CursorRight = "cursor_right", Editing, "right", "move the cursor right";
    CursorPrevWord = "cursor_prev_word", Editing, "word left", "move the cursor a word left";
    CursorNextWord = "cursor_next_word", Editing, "word right", "move the cursor a word right";
    CursorStart = "cursor_start", Editing, "start", "move the cursor to the start";
    CursorEnd = "cursor_end", Editing, "end", "move the cursor to the end";
    ToggleHelp = "toggle_help", General, "help", "show or hide this help";
    Quit = "quit", General, "quit", "quit";
}

impl Action {
    /// The action named `name` in keymap files.
    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.name() == name)
    }

    /// True for the actions that edit text (bound in the keymap's input sections).
    pub fn edits_text(self) -> bool {
        self.group() == ActionGroup::Editing
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

    #[test]
    fn all_lists_each_group_in_one_run() {
        let mut seen: Vec<ActionGroup> = Vec::new();
        for action in Action::ALL {
            if seen.last() != Some(&action.group()) {
                assert!(
                    !seen.contains(&action.group()),
                    "{action:?} splits its group"
                );
                seen.push(action.group());
            }
        }
    }
}
