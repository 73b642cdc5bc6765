//! The hosts overlay: an environment's hosts, the most straying from its majority first,
//! or one host against its peers (each fact where it leaves their majority: the peers'
//! values in brief, then the host's). Host names and values are made safe and shortened;
//! secrets show only as `(redacted)`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph};

use super::{clean, fit, pane_block, placeholder, span};
use crate::diff::DriftReport;
use crate::report::describe::{RedactionClasses, cell_summary};
use crate::tui::hosts::{HEAD_ROWS, HostsView, PeersView, list_area};
use crate::tui::state::State;
use crate::tui::theme::{Role, Theme};
use crate::tui::timeline::Loadable;
use crate::tui::view::diffview::severity_role;

pub fn render(frame: &mut Frame, rect: Rect, state: &State, theme: &Theme) {
    let Some(view) = state.hosts_view() else {
        return;
    };
    let env = state
        .workspace
        .environments
        .get(view.env)
        .map_or("?", |e| e.name.as_str());
    let title = match &view.peers {
        Some(peers) => format!(" {} vs its peers in {} ", clean(&peers.host), clean(env)),
        None => format!(" Hosts · {} ", clean(env)),
    };
    frame.render_widget(Clear, rect);
    let block = pane_block(Line::from(title), true, theme);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let list = list_area(rect);
    let head = Rect {
        height: HEAD_ROWS.min(inner.height),
        ..inner
    };
    match &view.peers {
        Some(peers) => render_peers(frame, head, list, peers, theme),
        None => render_ranking(frame, head, list, view, env, theme),
    }
}

/// A placeholder while loading or after a failure; `None` when ready.
fn pending<'a, T>(
    frame: &mut Frame,
    list: Rect,
    loadable: &'a Loadable<T>,
    what: &str,
    theme: &Theme,
) -> Option<&'a T> {
    let (text, role) = match loadable {
        Loadable::Ready(value) => return Some(value),
        Loadable::Loading => (format!("{what}…"), Role::Filter),
        Loadable::Failed(message) => (clean(message).into_owned(), Role::Error),
    };
    placeholder(frame, list, vec![Line::from(span(text, role, theme))]);
    None
}

fn render_ranking(
    frame: &mut Frame,
    head: Rect,
    list: Rect,
    view: &HostsView,
    env: &str,
    theme: &Theme,
) {
    let what = format!("ranking the hosts of {}", clean(env));
    let Some(strays) = pending(frame, list, &view.ranking, &what, theme) else {
        return;
    };
    let hosts = &strays.hosts;
    let straying = hosts.iter().filter(|h| h.strays > 0).count();
    let mut summary = format!(
        "{} host{}, {straying} straying from the majority",
        hosts.len(),
        if hosts.len() == 1 { "" } else { "s" }
    );
    if strays.split > 0 {
        summary.push_str(&format!(
            "; {} fact{} with no majority",
            strays.split,
            if strays.split == 1 { "" } else { "s" }
        ));
    }
    let width = usize::from(list.width);
    let name_width = hosts
        .iter()
        .map(|h| clean(&h.host).chars().count())
        .max()
        .unwrap_or(4)
        .clamp(4, 40);
    let count_width = hosts
        .iter()
        .map(|h| format!("{} of {}", h.strays, h.facts).len())
        .max()
        .unwrap_or(0)
        .max("facts straying".len());
    let heading = format!(
        "  {}  {:>count_width$}  examples",
        fit("host", name_width),
        "facts straying"
    );
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(span(fit(&summary, width), Role::Text, theme)),
            Line::from(span(fit(&heading, width), Role::Dim, theme)),
        ]),
        head,
    );
    let height = usize::from(list.height);
    let offset = view.cursor.visible_offset(height, hosts.len());
    let lines: Vec<Line> = hosts
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, host)| {
            let selected = i == view.cursor.selected;
            let count = format!("{} of {}", host.strays, host.facts);
            let examples: Vec<String> = host.examples.iter().map(|k| k.to_string()).collect();
            let mut examples = examples.join(", ");
            if host.strays > host.examples.len() {
                examples.push_str(", …");
            }
            let text = format!(
                "{} {}  {count:>count_width$}  {}",
                if selected { "▸" } else { " " },
                fit(&clean(&host.host), name_width),
                clean(&examples)
            );
            let role = match (selected, host.strays) {
                (true, _) => Role::Selection,
                (false, 0) => Role::Dim,
                (false, _) => Role::Text,
            };
            Line::from(span(fit(&text, width), role, theme))
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
}

fn render_peers(frame: &mut Frame, head: Rect, list: Rect, peers: &PeersView, theme: &Theme) {
    let what = format!("comparing {} with its peers", clean(&peers.host));
    let Some(report) = pending(frame, list, &peers.report, &what, theme) else {
        return;
    };
    let width = usize::from(list.width);
    let peer_count = report.sides.first().map_or(0, |s| s.hosts.len());
    let summary = format!(
        "{} fact{} where {} leaves the majority of its {peer_count} peers",
        report.facts.len(),
        if report.facts.len() == 1 { "" } else { "s" },
        clean(&peers.host)
    );
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(span(fit(&summary, width), Role::Text, theme)),
            Line::from(span(
                fit("severity  fact  ·  peers → host", width),
                Role::Dim,
                theme,
            )),
        ]),
        head,
    );
    if report.facts.is_empty() {
        let text = "the host holds its peers' majority value of every fact";
        placeholder(
            frame,
            list,
            vec![Line::from(span(text, Role::Equal, theme))],
        );
        return;
    }
    let height = usize::from(list.height);
    let scroll = peers.scroll.min(report.facts.len().saturating_sub(height));
    let lines: Vec<Line> = peer_rows(report)
        .into_iter()
        .skip(scroll)
        .take(height)
        .map(|(severity, key, values)| {
            let key_part = format!("{:<8}  {key}  ", severity.as_str());
            let rest = width.saturating_sub(key_part.chars().count());
            Line::from(vec![
                span(
                    format!("{:<8}  ", severity.as_str()),
                    severity_role(severity),
                    theme,
                ),
                span(format!("{key}  "), Role::Text, theme),
                span(fit(&values, rest), Role::Changed, theme),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
}

/// Each fact of a peer comparison: its severity, its key and `peers → host`, all safe.
fn peer_rows(report: &DriftReport) -> Vec<(crate::diff::Severity, String, String)> {
    report
        .facts
        .iter()
        .map(|fact| {
            let classes = RedactionClasses::of(fact);
            let peers = fact
                .cells
                .first()
                .map(|c| cell_summary(c, None, &classes))
                .unwrap_or_default();
            let host = fact
                .cells
                .get(1)
                .map(|c| cell_summary(c, fact.cells.first(), &classes))
                .unwrap_or_default();
            (
                fact.severity,
                clean(&fact.key.to_string()).into_owned(),
                format!("{peers} → {host}"),
            )
        })
        .collect()
}
