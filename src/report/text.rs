//! The human rendering of a drift report: a header naming the sides, the worst drifts
//! across every category (when there are many), then the drifting facts grouped by
//! category, worst first, with the detail that explains each one.

use std::fmt::Write as _;

use crate::diff::{
    Cell, ChangeKind, Comparison, DriftReport, FactDiff, FieldChange, RowTag, Severity, TextLine,
    TextRow,
};
use crate::model::{Category, sanitize};

use super::Palette;
use super::describe::{
    RedactionClasses, cell_summary, clip, delta_from_baseline, describe_comparison,
    group_value_summary, name_list, side_hosts, side_times, status_marker,
};
use super::summary;

/// Limits that keep the text rendering compact.
#[derive(Debug, Clone, Copy)]
pub struct TextOptions {
    /// Colours by role when enabled.
    pub palette: Palette,
    /// Unchanged lines shown around each change in a text excerpt.
    pub context: usize,
    /// Lines of a text excerpt, per compared side, before it is cut.
    pub max_excerpt_lines: usize,
    /// Set members (added plus removed) listed per compared side before the rest is counted.
    pub max_members: usize,
    /// Characters of a value summary or text line before it is clipped.
    pub max_width: usize,
}

impl TextOptions {
    /// The default limits with the given palette.
    pub fn new(palette: Palette) -> TextOptions {
        TextOptions {
            palette,
            context: 2,
            max_excerpt_lines: 12,
            max_members: 10,
            max_width: 80,
        }
    }
}

/// Renders `report` as text for a terminal.
pub fn render(report: &DriftReport, options: &TextOptions) -> String {
    let mut out = String::new();
    write_header(&mut out, report, options);
    let labels: Vec<String> = report
        .sides
        .iter()
        .map(|s| sanitize(&s.label, false).into_owned())
        .collect();
    let label_width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    write_start_here(&mut out, report, options);
    for category in Category::ALL {
        let mut facts: Vec<&FactDiff> = report
            .facts
            .iter()
            .filter(|f| f.key.category == category)
            .collect();
        if facts.is_empty() {
            continue;
        }
        // Worst first; the sort is stable, so the engine's order breaks ties.
        facts.sort_by_key(|f| std::cmp::Reverse(f.severity));
        out.push('\n');
        let counts = report
            .categories
            .get(&category)
            .cloned()
            .unwrap_or_default();
        let heading = format!(
            "{} — {}",
            category,
            summary::counts_phrase(&counts, options.palette)
        );
        let _ = writeln!(out, "{}", options.palette.heading(&heading));
        for fact in facts {
            write_fact(&mut out, fact, &labels, label_width, options);
        }
    }
    out.push('\n');
    let total = summary::total_counts(report);
    if total.drift == 0 {
        let _ = writeln!(
            out,
            "{} · {}",
            options.palette.ok("no drift"),
            summary::counts_phrase(&total, options.palette)
        );
    } else {
        let _ = writeln!(
            out,
            "total — {}",
            summary::counts_phrase(&total, options.palette)
        );
    }
    out
}

fn write_header(out: &mut String, report: &DriftReport, options: &TextOptions) {
    let p = options.palette;
    let labels: Vec<String> = report
        .sides
        .iter()
        .map(|s| sanitize(&s.label, false).into_owned())
        .collect();
    let title = match labels.split_first() {
        Some((base, rest)) if !rest.is_empty() => {
            format!("{base} (baseline) vs {}", rest.join(" vs "))
        }
        Some((base, _)) => base.clone(),
        None => "no sides".to_string(),
    };
    let _ = writeln!(out, "{}", p.heading(&format!("Drift: {title}")));
    let width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    for (side, label) in report.sides.iter().zip(&labels) {
        let count = side.hosts.len();
        let hosts = format!(
            "{count} host{}: {}",
            if count == 1 { "" } else { "s" },
            side_hosts(side, 4)
        );
        let _ = writeln!(
            out,
            "  {label:<width$}  {hosts}  {}",
            p.dim(&format!("taken {}", side_times(side)))
        );
    }
}

/// How many drifts the "start here" list shows; it appears only when there are more.
pub const START_HERE: usize = 10;

/// The worst drifts across every category, one line each, in the report's order
/// (severity, then the severity ladder): where an engineer in an incident starts.
/// Written only when there are more than [`START_HERE`] drifts.
fn write_start_here(out: &mut String, report: &DriftReport, options: &TextOptions) {
    let p = options.palette;
    let drifts: Vec<&FactDiff> = report.facts.iter().filter(|f| f.is_drift()).collect();
    if drifts.len() <= START_HERE {
        return;
    }
    out.push('\n');
    let heading = format!(
        "start here — the {START_HERE} worst of {} drifts",
        drifts.len()
    );
    let _ = writeln!(out, "{}", p.heading(&heading));
    let names: Vec<String> = drifts
        .iter()
        .take(START_HERE)
        .map(|f| sanitize(&f.key.to_string(), false).into_owned())
        .collect();
    let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    for (fact, name) in drifts.iter().zip(&names) {
        let classes = RedactionClasses::of(fact);
        let baseline = fact.cells.first();
        let values: Vec<String> = fact
            .cells
            .iter()
            .enumerate()
            .map(|(i, cell)| brief_cell(cell, if i == 0 { None } else { baseline }, &classes))
            .collect();
        let line = clip(&values.join(" → "), options.max_width).into_owned();
        let _ = writeln!(
            out,
            "  {} {}  {}  {}",
            p.severity(fact.severity, status_marker(fact)),
            p.severity(fact.severity, &format!("{:<8}", fact.severity.as_str())),
            p.key(&format!("{name:<width$}")),
            p.dim(&sanitize(&line, false)),
        );
    }
}

/// A cell in a few words: collections and records as their size on the baseline and
/// as what changed against it elsewhere.
fn brief_cell(cell: &Cell, baseline: Option<&Cell>, classes: &RedactionClasses) -> String {
    let collection = |v: &crate::model::Value| match v {
        crate::model::Value::Set(items) | crate::model::Value::List(items) => {
            Some(format!("{} members", items.len()))
        }
        crate::model::Value::Record(fields) => Some(format!("{} fields", fields.len())),
        _ => None,
    };
    match (cell.value(), baseline.and_then(Cell::value)) {
        (Some(value), Some(base)) if collection(base).is_some() => delta_from_baseline(value, base)
            .unwrap_or_else(|| cell_summary(cell, baseline, classes)),
        (Some(value), None) if baseline.is_none() => {
            collection(value).unwrap_or_else(|| cell_summary(cell, baseline, classes))
        }
        _ => cell_summary(cell, baseline, classes),
    }
}

fn write_fact(
    out: &mut String,
    fact: &FactDiff,
    labels: &[String],
    label_width: usize,
    options: &TextOptions,
) {
    let p = options.palette;
    let key = sanitize(&fact.key.key, false);
    let severity = format!("{:<8}", fact.severity.as_str());
    let classes = RedactionClasses::of(fact);
    if !fact.is_drift() {
        let value = fact
            .cells
            .first()
            .map(|c| cell_summary(c, None, &classes))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {} {}  {}  {}",
            status_marker(fact),
            p.severity(Severity::None, &severity),
            key,
            p.dim(&clip(&value, options.max_width))
        );
        return;
    }
    let _ = writeln!(
        out,
        "  {} {}  {}",
        p.severity(fact.severity, status_marker(fact)),
        p.severity(fact.severity, &severity),
        p.key(&key),
    );
    let baseline = fact.cells.first();
    for (index, cell) in fact.cells.iter().enumerate() {
        let label = labels.get(index).map(String::as_str).unwrap_or("?");
        let base = if index == 0 { None } else { baseline };
        let comparison = fact
            .comparisons
            .iter()
            .find(|c| c.side == index)
            .map(|c| &c.comparison);
        write_cell(
            out,
            fact,
            cell,
            base,
            comparison,
            label,
            label_width,
            &classes,
            options,
        );
    }
    // Excerpts of texts, members and fields follow the cells they explain.
    // With more than two sides, say which side each excerpt belongs to.
    let several = labels.len() > 2;
    for side in &fact.comparisons {
        let title = if several {
            let from = labels.first().map(String::as_str).unwrap_or("?");
            let to = labels.get(side.side).map(String::as_str).unwrap_or("?");
            Some(format!("{from} → {to}"))
        } else {
            None
        };
        write_detail(out, &side.comparison, title.as_deref(), options);
    }
}

#[allow(clippy::too_many_arguments)]
fn write_cell(
    out: &mut String,
    fact: &FactDiff,
    cell: &Cell,
    baseline: Option<&Cell>,
    comparison: Option<&Comparison>,
    label: &str,
    label_width: usize,
    classes: &RedactionClasses,
    options: &TextOptions,
) {
    let p = options.palette;
    let indent = "      ";
    match cell {
        Cell::Divergent { groups } => {
            let _ = writeln!(out, "{indent}{label:<label_width$}  hosts disagree:");
            let base = baseline.and_then(Cell::value);
            let values: Vec<String> = groups
                .iter()
                .map(|g| {
                    let delta = g
                        .value
                        .as_ref()
                        .zip(base)
                        .and_then(|(v, b)| delta_from_baseline(v, b));
                    let text = delta.unwrap_or_else(|| group_value_summary(g, classes));
                    clip(&text, options.max_width).into_owned()
                })
                .collect();
            let value_width = values.iter().map(|v| v.chars().count()).max().unwrap_or(0);
            for (group, value) in groups.iter().zip(values) {
                let _ = writeln!(
                    out,
                    "{indent}{:label_width$}    {value:<value_width$}  {}",
                    "",
                    p.dim(&format!("on {}", name_list(&group.hosts, 6)))
                );
            }
        }
        _ => {
            let value = cell_summary(cell, baseline, classes);
            let value = clip(&value, options.max_width);
            let mut detail = comparison.map(describe_comparison);
            if detail.is_none() && fact.change == ChangeKind::Kind {
                detail = cell.value().map(|v| format!("a {}", v.kind()));
            }
            let value = match cell {
                Cell::Absent => p.severity(Severity::Critical, &value),
                _ => value.into_owned(),
            };
            match detail {
                Some(d) => {
                    let _ = writeln!(
                        out,
                        "{indent}{label:<label_width$}  {value}  {}",
                        p.dim(&format!("· {d}"))
                    );
                }
                None => {
                    let _ = writeln!(out, "{indent}{label:<label_width$}  {value}");
                }
            }
        }
    }
}

fn write_detail(
    out: &mut String,
    comparison: &Comparison,
    title: Option<&str>,
    options: &TextOptions,
) {
    let lines = match comparison {
        Comparison::Version { .. } => return,
        Comparison::Text { rows } => text_excerpt(rows, options),
        Comparison::Members { added, removed } => member_lines(added, removed, options),
        Comparison::Fields { changes } => field_lines(changes, options),
    };
    if lines.is_empty() {
        return;
    }
    let indent = "        ";
    if let Some(title) = title {
        let _ = writeln!(out, "{indent}{}", options.palette.dim(title));
    }
    for line in lines {
        let _ = writeln!(out, "{}", format!("{indent}{line}").trim_end());
    }
}

/// A unified excerpt of the changed rows with a few lines of context, cut when long.
fn text_excerpt(rows: &[TextRow], options: &TextOptions) -> Vec<String> {
    let p = options.palette;
    let changed: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.tag != RowTag::Equal)
        .map(|(i, _)| i)
        .collect();
    if changed.is_empty() {
        return Vec::new();
    }
    let mut shown = vec![false; rows.len()];
    for &i in &changed {
        let from = i.saturating_sub(options.context);
        let to = (i + options.context).min(rows.len() - 1);
        for flag in &mut shown[from..=to] {
            *flag = true;
        }
    }
    let mut lines = Vec::new();
    let mut previous: Option<usize> = None;
    let mut changes_shown = 0usize;
    for (i, row) in rows.iter().enumerate() {
        if !shown[i] {
            continue;
        }
        let gap = previous.is_none_or(|prev| prev + 1 != i);
        let needed = usize::from(gap) + if row.tag == RowTag::Changed { 2 } else { 1 };
        if !lines.is_empty() && lines.len() + needed > options.max_excerpt_lines {
            break;
        }
        if gap {
            let number = row
                .left
                .as_ref()
                .or(row.right.as_ref())
                .map(|l| l.number)
                .unwrap_or(0);
            lines.push(p.dim(&format!("@@ line {number} @@")));
        }
        previous = Some(i);
        match row.tag {
            RowTag::Equal => {
                if let Some(line) = &row.left {
                    let text = sanitize(&line.text, false);
                    lines.push(p.dim(&format!("  {}", clip(&text, options.max_width))));
                }
            }
            RowTag::Changed | RowTag::Removed | RowTag::Added => {
                changes_shown += 1;
                if let Some(line) = row.left.as_ref().filter(|_| row.tag != RowTag::Added) {
                    lines.push(diff_line(line, '-', options));
                }
                if let Some(line) = row.right.as_ref().filter(|_| row.tag != RowTag::Removed) {
                    lines.push(diff_line(line, '+', options));
                }
            }
        }
    }
    let rest = changed.len().saturating_sub(changes_shown);
    if rest > 0 {
        lines.push(p.dim(&format!(
            "… {rest} more changed line{}",
            if rest == 1 { "" } else { "s" }
        )));
    }
    lines
}

/// A palette method painting one role.
type Paint = fn(Palette, &str) -> String;

/// One `-` or `+` line, its changed spans emphasised when colour is on.
fn diff_line(line: &TextLine, sign: char, options: &TextOptions) -> String {
    let p = options.palette;
    let (plain, strong): (Paint, Paint) = if sign == '+' {
        (Palette::added, Palette::added_strong)
    } else {
        (Palette::removed, Palette::removed_strong)
    };
    let fits = line.text.chars().count() <= options.max_width;
    if !p.enabled() || line.changed.is_empty() || !fits {
        let text = sanitize(&line.text, false);
        return plain(p, &format!("{sign} {}", clip(&text, options.max_width)));
    }
    let mut out = plain(p, &format!("{sign} "));
    let mut at = 0usize;
    for &(start, end) in &line.changed {
        let (Some(before), Some(span)) = (line.text.get(at..start), line.text.get(start..end))
        else {
            // Ranges that do not fall on character boundaries: show the line unemphasised.
            return plain(p, &format!("{sign} {}", sanitize(&line.text, false)));
        };
        out.push_str(&plain(p, &sanitize(before, false)));
        out.push_str(&strong(p, &sanitize(span, false)));
        at = end;
    }
    out.push_str(&plain(
        p,
        &sanitize(line.text.get(at..).unwrap_or(""), false),
    ));
    out
}

fn member_lines(added: &[String], removed: &[String], options: &TextOptions) -> Vec<String> {
    let p = options.palette;
    let mut lines = Vec::new();
    let all = added
        .iter()
        .map(|m| ('+', m))
        .chain(removed.iter().map(|m| ('−', m)));
    let total = added.len() + removed.len();
    for (sign, member) in all.take(options.max_members) {
        let text = format!(
            "{sign} {}",
            clip(&sanitize(member, false), options.max_width)
        );
        lines.push(if sign == '+' {
            p.added(&text)
        } else {
            p.removed(&text)
        });
    }
    if total > options.max_members {
        lines.push(p.dim(&format!("… {} more members", total - options.max_members)));
    }
    lines
}

fn field_lines(changes: &[FieldChange], options: &TextOptions) -> Vec<String> {
    let show = |v: &Option<String>| match v {
        Some(v) => clip(&sanitize(v, false), options.max_width / 2).into_owned(),
        None => "(absent)".to_string(),
    };
    changes
        .iter()
        .map(|c| {
            format!(
                "{}: {} → {}",
                sanitize(&c.field, false),
                options.palette.removed(&show(&c.base)),
                options.palette.added(&show(&c.other))
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testing::{sample_report, text_rows};

    fn plain(report: &DriftReport) -> String {
        render(report, &TextOptions::new(Palette::plain()))
    }

    #[test]
    fn header_lists_each_side_with_hosts_and_time() {
        let out = plain(&sample_report());
        assert!(
            out.starts_with("Drift: staging (baseline) vs prod\n"),
            "{out}"
        );
        assert!(
            out.contains("staging  2 hosts: web-1, web-2  taken 2026-11-20 09:30Z"),
            "{out}"
        );
        assert!(
            out.contains("prod     1 host: web-1  taken 2026-11-21 08:00Z"),
            "{out}"
        );
    }

    #[test]
    fn drifts_are_grouped_by_category_worst_first() {
        let out = plain(&sample_report());
        let versions = out.find("versions — ").unwrap();
        let config = out.find("config — ").unwrap();
        assert!(versions < config, "{out}");
        let critical = out.find("critical  runtime.python").unwrap();
        let low = out.find("low       package.curl").unwrap();
        assert!(critical < low, "{out}");
        assert!(critical > versions && low < config, "{out}");
    }

    #[test]
    fn version_drift_names_direction_and_level() {
        let out = plain(&sample_report());
        assert!(out.contains("staging  3.11.4\n"), "{out}");
        assert!(out.contains("prod     4.0.1  · newer, major"), "{out}");
    }

    #[test]
    fn redacted_values_show_only_same_or_differs() {
        let out = plain(&sample_report());
        assert!(out.contains("env.API_TOKEN"), "{out}");
        assert!(out.contains("staging  (redacted)\n"), "{out}");
        assert!(out.contains("prod     (redacted) differs"), "{out}");
        assert!(!out.contains("hmac-sha256"), "{out}");
    }

    #[test]
    fn divergent_side_lists_host_groups() {
        let out = plain(&sample_report());
        assert!(out.contains("staging  hosts disagree:"), "{out}");
        assert!(out.contains("warn  on web-1"), "{out}");
        assert!(out.contains("info  on web-2"), "{out}");
    }

    #[test]
    fn divergent_collections_show_each_group_against_the_baseline() {
        let mut report = sample_report();
        let resolvers = report
            .facts
            .iter_mut()
            .find(|f| f.key.key == "resolvers")
            .unwrap();
        resolvers.cells[1] = Cell::Divergent {
            groups: vec![
                crate::diff::HostGroup {
                    value: Some(crate::model::Value::set(["10.0.0.1", "10.0.0.2"])),
                    hosts: vec!["web-1".into()],
                },
                crate::diff::HostGroup {
                    value: Some(crate::model::Value::set(["10.0.0.1", "10.0.0.9"])),
                    hosts: vec!["web-2".into()],
                },
            ],
        };
        let out = plain(&report);
        assert!(out.contains("same as baseline     on web-1"), "{out}");
        assert!(out.contains("+10.0.0.9 −10.0.0.2  on web-2"), "{out}");
    }

    #[test]
    fn missing_fact_is_marked_absent() {
        let out = plain(&sample_report());
        assert!(out.contains("∅ critical  index:users_email"), "{out}");
        assert!(out.contains("prod     (absent)"), "{out}");
    }

    #[test]
    fn set_members_show_added_and_removed() {
        let out = plain(&sample_report());
        assert!(out.contains("+ 10.0.0.3"), "{out}");
        assert!(out.contains("− 10.0.0.2"), "{out}");
    }

    #[test]
    fn record_fields_show_old_and_new_values() {
        let out = plain(&sample_report());
        assert!(out.contains("expires: 2027-01-01 → 2026-12-01"), "{out}");
    }

    #[test]
    fn text_excerpt_shows_changes_with_little_context() {
        let out = plain(&sample_report());
        assert!(out.contains("- keepalive_timeout 65;"), "{out}");
        assert!(out.contains("+ keepalive_timeout 30;"), "{out}");
        assert!(out.contains("  line 3"), "{out}");
        // Line 1 is more than two rows away from the change at line 5.
        assert!(!out.contains("  line 1\n"), "{out}");
    }

    #[test]
    fn long_text_excerpts_are_cut_and_counted() {
        let rows = text_rows(40);
        let options = TextOptions::new(Palette::plain());
        let lines = text_excerpt(&rows, &options);
        // The cut excerpt plus the line counting what was left out.
        assert!(lines.len() <= options.max_excerpt_lines + 1, "{lines:?}");
        assert!(
            lines.last().unwrap().contains("more changed lines"),
            "{lines:?}"
        );
    }

    #[test]
    fn plain_output_has_no_escape_codes_and_colour_output_has_some() {
        let report = sample_report();
        assert!(!plain(&report).contains('\u{1b}'));
        let coloured = render(&report, &TextOptions::new(Palette::new(true)));
        assert!(coloured.contains('\u{1b}'));
    }

    #[test]
    fn escape_sequences_in_values_are_neutralised() {
        let out = plain(&sample_report());
        assert!(out.contains("motd^[[2J"), "{out}");
        let coloured = render(&sample_report(), &TextOptions::new(Palette::new(true)));
        assert!(!coloured.contains("\u{1b}[2J"), "{coloured}");
    }

    #[test]
    fn total_line_counts_every_category() {
        let out = plain(&sample_report());
        assert!(
            out.trim_end()
                .ends_with("total — 10 drift (2 critical, 7 high, 1 low) · 16 equal · 2 ignored"),
            "{out}"
        );
    }
}
