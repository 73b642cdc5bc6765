//! The key and theme reference docs are generated from the code's own tables; these
//! tests fail when they drift apart. Run with UPDATE_DOCS=1 to rewrite the tables.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use driftscope::tui::Action;
use driftscope::tui::Keymap;
use driftscope::tui::keymap::Scope;
use driftscope::tui::theme::Role;

fn check_section(path: &str, marker: &str, generated: &str) {
    let full = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&full).unwrap();
    let start_tag = format!("<!-- {marker}:start -->\n");
    let end_tag = format!("<!-- {marker}:end -->");
    let start = text.find(&start_tag).expect("start marker") + start_tag.len();
    let end = text.find(&end_tag).expect("end marker");
    if std::env::var_os("UPDATE_DOCS").is_some() {
        let updated = format!("{}{generated}{}", &text[..start], &text[end..]);
        std::fs::write(&full, updated).unwrap();
        return;
    }
    assert_eq!(
        &text[start..end],
        generated,
        "{path} is out of date; run `UPDATE_DOCS=1 cargo test --test tui_docs`"
    );
}

#[test]
fn keybindings_doc_lists_the_default_keymap() {
    let keymap = Keymap::embedded().unwrap();
    let mut table = String::from("| Keys | Action | What it does |\n|---|---|---|\n");
    for action in Action::ALL {
        // Keys per keymap section; keys under [keys] come unmarked.
        let keys: Vec<String> = Scope::ALL
            .into_iter()
            .filter_map(|scope| {
                let keys = keymap.keys_in(scope, action);
                if keys.is_empty() {
                    return None;
                }
                let keys: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
                Some(match scope {
                    Scope::Keys => keys.join(" "),
                    other => format!("[{}] {}", other.section(), keys.join(" ")),
                })
            })
            .collect();
        table.push_str(&format!(
            "| {} | `{}` | {} |\n",
            keys.join("; "),
            action.name(),
            action.description()
        ));
    }
    check_section("docs/keybindings.md", "keymap", &table);
}

#[test]
fn themes_doc_lists_every_role() {
    let mut table = String::from("| Role | Used for |\n|---|---|\n");
    for role in Role::ALL {
        table.push_str(&format!("| `{}` | {} |\n", role.name(), role.description()));
    }
    check_section("docs/themes.md", "roles", &table);
}
