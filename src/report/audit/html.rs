//! The audit report as one self-contained HTML page: inline styles (print styles
//! included), no scripts, no external resources, every text HTML-escaped.

use std::fmt::Write as _;

use crate::diff::review::{ReviewState, StateCounts};
use crate::model::{Annotation, sanitize};

use super::super::describe::{side_hosts, side_times};
use super::{Audit, Entry, Part, day, is_web_link, one_line, review_note, values, verdict};

/// The page's style sheet: readable on screen, black on white and unbroken rows in print.
const STYLE: &str = "\
:root { --ink: #1d2733; --muted: #5b6673; --line: #d5dbe2; --band: #f3f5f8;
  --ok: #1f7a3d; --fix: #9a5b00; --open: #b42318; --old: #7a4fb5; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, \"Segoe UI\", Roboto, sans-serif;
  color: var(--ink); max-width: 72rem; margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.7rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 2.2rem 0 .6rem; padding-bottom: .3rem;
  border-bottom: 2px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .4rem; text-transform: capitalize; }
.meta, .hint { color: var(--muted); margin: 0 0 1rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: .92rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .55rem;
  border-bottom: 1px solid var(--line); }
th { background: var(--band); font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: 600; border-top: 2px solid var(--line); }
code { font: .88em/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  overflow-wrap: anywhere; }
.value { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  font-size: .85em; overflow-wrap: anywhere; }
.verdict { font-weight: 600; }
.badge { display: inline-block; padding: 0 .45rem; border-radius: .6rem; font-size: .8rem;
  font-weight: 600; border: 1px solid currentColor; white-space: nowrap; }
.unreviewed { color: var(--open); } .justified { color: var(--ok); }
.remediate { color: var(--fix); } .stale, .expired { color: var(--old); }
.decision { margin: 0; }
.by { color: var(--muted); font-size: .88rem; }
ul.checklist { list-style: none; padding: 0; }
ul.checklist li { margin: 0 0 .9rem; padding-left: 1.9rem; position: relative; }
ul.checklist li::before { content: \"\\2610\"; position: absolute; left: 0; top: -.15rem;
  font-size: 1.3rem; }
footer { margin-top: 3rem; color: var(--muted); font-size: .85rem; }
@media print {
  :root { --ink: #000; --muted: #333; --line: #999; --band: #eee; }
  body { font-size: 10.5pt; max-width: none; margin: 0; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3 { break-after: avoid; page-break-after: avoid; }
  tr, li { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
  a[href]::after { content: \" (\" attr(href) \")\"; font-size: .85em; overflow-wrap: anywhere; }
}
@page { margin: 16mm 14mm; }
";

/// Escapes text for HTML element content and attribute values, after making control
/// characters visible.
pub fn escape(text: &str) -> String {
    let text = sanitize(text, false);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Renders `audit` as a complete HTML document.
pub fn render(audit: &Audit<'_>) -> String {
    let title = format!("Parity audit: {}", audit.title());
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
        escape(&title)
    );
    let _ = writeln!(out, "<header>\n<h1>{}</h1>", escape(&title));
    let _ = writeln!(
        out,
        "<p class=\"meta\">Workspace <strong>{}</strong> · generated {}</p>\n</header>",
        escape(audit.workspace),
        audit.generated_at.format("%Y-%m-%d %H:%MZ")
    );
    sides(&mut out, audit);
    summary(&mut out, audit);
    justified(&mut out, audit);
    checklist(&mut out, audit);
    needs_review(&mut out, audit);
    resolved(&mut out, audit);
    out.push_str("<footer>Made with driftscope.</footer>\n</body>\n</html>\n");
    out
}

fn sides(out: &mut String, audit: &Audit<'_>) {
    out.push_str("<section>\n<h2>Compared</h2>\n<table>\n");
    out.push_str("<thead><tr><th>Side</th><th>Hosts</th><th>Taken</th></tr></thead>\n<tbody>\n");
    for (index, side) in audit.report.sides.iter().enumerate() {
        let baseline = if index == 0 { " (baseline)" } else { "" };
        let _ = writeln!(
            out,
            "<tr><td><strong>{}</strong>{baseline}</td><td>{}: {}</td><td>{}</td></tr>",
            escape(&side.label),
            side.hosts.len(),
            escape(&side_hosts(side, 8)),
            escape(&side_times(side))
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn summary(out: &mut String, audit: &Audit<'_>) {
    out.push_str("<section>\n<h2>Summary</h2>\n<table>\n<thead><tr><th>Category</th>");
    out.push_str("<th class=\"n\">Drift</th>");
    for state in ORDER {
        let _ = write!(out, "<th class=\"n\">{}</th>", capitalised(state.label()));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    let row = |out: &mut String, class: &str, name: &str, drift: usize, s: &StateCounts| {
        let _ = write!(
            out,
            "<tr{class}><td>{name}</td><td class=\"n\">{drift}</td>"
        );
        for state in ORDER {
            let _ = write!(out, "<td class=\"n\">{}</td>", s.get(state));
        }
        out.push_str("</tr>\n");
    };
    let rows = audit.summary();
    for r in &rows {
        row(out, "", r.category.as_str(), r.counts.drift, &r.states);
    }
    let drift = rows.iter().map(|r| r.counts.drift).sum();
    row(out, " class=\"total\"", "Total", drift, &audit.totals());
    let _ = writeln!(
        out,
        "</tbody>\n</table>\n<p class=\"verdict\">{}</p>\n</section>",
        escape(&verdict(&audit.totals()))
    );
}

/// Summary columns: the states needing review first, then the decided ones.
const ORDER: [ReviewState; 5] = [
    ReviewState::Unreviewed,
    ReviewState::Stale,
    ReviewState::Expired,
    ReviewState::Justified,
    ReviewState::Remediate,
];

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

fn badge(state: ReviewState) -> String {
    format!(
        "<span class=\"badge {}\">{}</span>",
        state.as_str(),
        state.label()
    )
}

fn value_cells(entry: &Entry<'_>) -> String {
    values(entry.fact)
        .iter()
        .map(|v| format!("<td class=\"value\">{}</td>", escape(v)))
        .collect()
}

fn side_headers(audit: &Audit<'_>) -> String {
    audit
        .report
        .sides
        .iter()
        .map(|s| format!("<th>{}</th>", escape(&s.label)))
        .collect()
}

/// A ticket: a web link as a hyperlink, anything else as text.
fn ticket_html(ticket: &str) -> String {
    let text = escape(&one_line(ticket));
    if is_web_link(ticket) {
        format!("<a href=\"{text}\">{text}</a>")
    } else {
        text
    }
}

/// `Dana Whitfield, 2026-11-18 · ticket OPS-12 · holds through 2027-03-31`.
fn decided(a: &Annotation) -> String {
    let mut parts = vec![format!("{}, {}", escape(&one_line(&a.author)), day(a.time))];
    if let Some(ticket) = &a.ticket {
        parts.push(format!("ticket {}", ticket_html(ticket)));
    }
    if let Some(expires) = a.expires {
        parts.push(format!("holds through {expires}"));
    }
    parts.join(" · ")
}

fn section_heading(out: &mut String, title: &str, count: usize) {
    let _ = writeln!(out, "<section>\n<h2>{title} ({count})</h2>");
}

fn justified(out: &mut String, audit: &Audit<'_>) {
    let entries = audit.part(Part::Justified);
    section_heading(out, "Justified differences", entries.len());
    if entries.is_empty() {
        out.push_str("<p class=\"hint\">None yet.</p>\n</section>\n");
        return;
    }
    let mut category = None;
    for entry in &entries {
        let Some(a) = entry.annotation else {
            if let Some(rule) = entry.rule {
                let _ = writeln!(
                    out,
                    "<li><code>{}</code>: {}</li>",
                    escape(&entry.fact.key.key),
                    escape(&super::rule_note(rule))
                );
            }
            continue;
        };
        if category != Some(entry.fact.key.category) {
            if category.is_some() {
                out.push_str("</tbody>\n</table>\n");
            }
            category = Some(entry.fact.key.category);
            let _ = writeln!(
                out,
                "<h3>{}</h3>\n<table>\n<thead><tr><th>Fact</th>{}<th>Why</th></tr></thead>\n<tbody>",
                entry.fact.key.category,
                side_headers(audit)
            );
        }
        let _ = writeln!(
            out,
            "<tr><td><code>{}</code></td>{}<td><p class=\"decision\">{}</p><span class=\"by\">{}</span></td></tr>",
            escape(&entry.fact.key.key),
            value_cells(entry),
            escape(&one_line(&a.reason)),
            decided(a)
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn checklist(out: &mut String, audit: &Audit<'_>) {
    let entries = audit.part(Part::Remediate);
    section_heading(out, "Remediation checklist", entries.len());
    if entries.is_empty() {
        out.push_str("<p class=\"hint\">Nothing is marked for remediation.</p>\n</section>\n");
        return;
    }
    let labels = audit.labels();
    out.push_str("<ul class=\"checklist\">\n");
    for entry in &entries {
        let Some(a) = entry.annotation else { continue };
        let values: Vec<String> = values(entry.fact)
            .iter()
            .zip(&labels)
            .map(|(v, l)| format!("{}: <span class=\"value\">{}</span>", escape(l), escape(v)))
            .collect();
        let _ = writeln!(
            out,
            "<li><strong><code>{}</code></strong> <span class=\"badge\">{}</span><br>\
             {}<p class=\"decision\">{}</p><span class=\"by\">{}</span></li>",
            escape(&entry.fact.key.to_string()),
            entry.fact.severity.as_str(),
            values.join(" · "),
            escape(&one_line(&a.reason)),
            decided(a)
        );
    }
    out.push_str("</ul>\n</section>\n");
}

fn needs_review(out: &mut String, audit: &Audit<'_>) {
    let entries = audit.part(Part::NeedsReview);
    section_heading(out, "Needs review", entries.len());
    if entries.is_empty() {
        out.push_str("<p class=\"hint\">Every drifting fact is reviewed.</p>\n</section>\n");
        return;
    }
    let _ = writeln!(
        out,
        "<table>\n<thead><tr><th>Severity</th><th>Fact</th>{}<th>Review</th></tr></thead>\n<tbody>",
        side_headers(audit)
    );
    for entry in &entries {
        let note = match entry.state {
            ReviewState::Unreviewed => badge(entry.state),
            _ => format!(
                "{} <span class=\"by\">{}</span>",
                badge(entry.state),
                escape(&review_note(entry))
            ),
        };
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td><code>{}</code></td>{}<td>{note}</td></tr>",
            entry.fact.severity.as_str(),
            escape(&entry.fact.key.to_string()),
            value_cells(entry)
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn resolved(out: &mut String, audit: &Audit<'_>) {
    let gone = audit.resolved();
    if gone.is_empty() {
        return;
    }
    section_heading(out, "Resolved annotations", gone.len());
    out.push_str(
        "<p class=\"hint\">These facts no longer drift between these environments; their \
         annotations can be removed with <code>driftscope unannotate</code>.</p>\n<ul>\n",
    );
    for a in gone {
        let _ = writeln!(
            out,
            "<li><code>{}</code> — {}: {}</li>",
            escape(&a.key.to_string()),
            a.kind.describe(),
            escape(&one_line(&a.reason))
        );
    }
    out.push_str("</ul>\n</section>\n");
}

#[cfg(test)]
mod tests {
    use super::super::testing::sample_audit;
    use super::*;

    fn rendered() -> String {
        let (report, reviews, annotations, now) = sample_audit();
        render(&Audit {
            policy: &crate::diff::policy::Policy::default(),
            workspace: "shop & co",
            generated_at: now,
            report: &report,
            reviews: &reviews,
            annotations: &annotations,
        })
    }

    #[test]
    fn the_page_matches_its_snapshot() {
        insta::assert_snapshot!(rendered());
    }

    #[test]
    fn the_page_is_self_contained_with_print_styles() {
        let out = rendered();
        assert!(out.starts_with("<!DOCTYPE html>\n"), "{out}");
        assert!(out.contains("@media print"), "{out}");
        for outside in ["<script", "<link", "src=", "url(", "@import"] {
            assert!(!out.contains(outside), "found {outside}");
        }
    }

    #[test]
    fn person_text_is_escaped_and_only_web_tickets_become_links() {
        let out = rendered();
        assert!(
            out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{out}"
        );
        assert!(!out.contains("<b>less"), "{out}");
        assert!(out.contains("shop &amp; co"), "{out}");
        assert!(
            out.contains("<a href=\"https://tickets.example/SHOP-7?from=audit&amp;x=&lt;y&gt;\">"),
            "{out}"
        );
        assert!(!out.contains("href=\"javascript"), "{out}");
        assert!(!out.contains("\u{1b}"), "{out}");
        assert!(!out.contains("hmac"), "{out}");
    }

    #[test]
    fn tags_are_balanced() {
        let out = rendered();
        for tag in [
            "section", "table", "tbody", "thead", "tr", "ul", "li", "p", "code",
        ] {
            let opened =
                out.matches(&format!("<{tag}>")).count() + out.matches(&format!("<{tag} ")).count();
            let closed = out.matches(&format!("</{tag}>")).count();
            assert_eq!(opened, closed, "<{tag}>");
        }
    }

    #[test]
    fn escape_covers_markup_quotes_and_controls() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>\u{1b}"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;^["
        );
    }
}
