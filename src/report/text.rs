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
    RedactionClasses, cell_summary_with, delta_from_baseline, describe_comparison,
    group_value_summary, side_hosts, side_times, status_marker, wrap,
};
use super::hosts::{HostNames, holders, host_count, rest_of};
use super::summary;

/// How the text rendering lays values out. Values are never cut: a long one wraps
/// between words onto more lines.
#[derive(Debug, Clone, Copy)]
pub struct TextOptions {
    /// Colours by role when enabled.
    pub palette: Palette,
    /// Unchanged lines shown around each change in a text excerpt.
    pub context: usize,
    /// Lines of a text excerpt, per compared side, before the rest is counted (no limit
    /// by default: every changed hunk is shown).
    pub max_excerpt_lines: usize,
    /// Set members (added plus removed) listed per compared side before the rest is
    /// counted (no limit by default).
    pub max_members: usize,
    /// Columns of a value or text line before it wraps onto the next line.
    pub max_width: usize,
    /// How many hosts and values a side whose hosts disagree lists.
    pub hosts: HostNames,
}

impl TextOptions {
    /// The default layout with the given palette.
    pub fn new(palette: Palette) -> TextOptions {
        TextOptions {
            palette,
            context: 2,
            max_excerpt_lines: usize::MAX,
            max_members: usize::MAX,
            max_width: 80,
            hosts: HostNames::SUMMARY,
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
            .map(|(i, cell)| {
                let base = if i == 0 { None } else { baseline };
                brief_cell(cell, base, &classes, options.hosts)
            })
            .collect();
        // Never cut: a long summary wraps under itself.
        let lines = wrap(&values.join(" → "), options.max_width);
        let _ = writeln!(
            out,
            "  {} {}  {}  {}",
            p.severity(fact.severity, status_marker(fact)),
            p.severity(fact.severity, &format!("{:<8}", fact.severity.as_str())),
            p.key(&format!("{name:<width$}")),
            p.dim(&sanitize(lines.first().map_or("", String::as_str), false)),
        );
        for line in lines.iter().skip(1) {
            let _ = writeln!(
                out,
                "  {:indent$}{}",
                "",
                p.dim(&sanitize(line, false)),
                indent = 14 + width
            );
        }
    }
}

/// A cell in a few words: collections and records as their size on the baseline and
/// as what changed against it elsewhere.
fn brief_cell(
    cell: &Cell,
    baseline: Option<&Cell>,
    classes: &RedactionClasses,
    hosts: HostNames,
) -> String {
    let collection = |v: &crate::model::Value| match v {
        crate::model::Value::Set(items) | crate::model::Value::List(items) => {
            Some(format!("{} members", items.len()))
        }
        crate::model::Value::Record(fields) => Some(format!("{} fields", fields.len())),
        _ => None,
    };
    match (cell.value(), baseline.and_then(Cell::value)) {
        (Some(value), Some(base)) if collection(base).is_some() => delta_from_baseline(value, base)
            .unwrap_or_else(|| cell_summary_with(cell, baseline, classes, hosts)),
        (Some(value), None) if baseline.is_none() => {
            collection(value).unwrap_or_else(|| cell_summary_with(cell, baseline, classes, hosts))
        }
        _ => cell_summary_with(cell, baseline, classes, hosts),
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
            .map(|c| cell_summary_with(c, None, &classes, options.hosts))
            .unwrap_or_default();
        let lines = wrap(&value, options.max_width);
        let _ = writeln!(
            out,
            "  {} {}  {}  {}",
            status_marker(fact),
            p.severity(Severity::None, &severity),
            key,
            p.dim(&lines[0])
        );
        for line in &lines[1..] {
            let _ = writeln!(out, "      {}", p.dim(line));
        }
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
            let total = host_count(groups);
            let heading = if options.hosts.is_wide(total) && groups.len() == total {
                format!("{total} hosts disagree, each holding a value of its own:")
            } else if options.hosts.is_wide(total) {
                format!("{total} hosts disagree:")
            } else {
                "hosts disagree:".to_string()
            };
            let _ = writeln!(out, "{indent}{label:<label_width$}  {heading}");
            let base = baseline.and_then(Cell::value);
            let shown = &groups[..groups.len().min(options.hosts.values)];
            let values: Vec<Vec<String>> = shown
                .iter()
                .map(|g| {
                    let delta = g
                        .value
                        .as_ref()
                        .zip(base)
                        .and_then(|(v, b)| delta_from_baseline(v, b));
                    let text = delta.unwrap_or_else(|| group_value_summary(g, classes));
                    wrap(&text, options.max_width)
                })
                .collect();
            let value_width = values
                .iter()
                .flatten()
                .map(|v| v.chars().count())
                .max()
                .unwrap_or(0);
            for (group, lines) in shown.iter().zip(values) {
                let Some((last, first)) = lines.split_last() else {
                    continue;
                };
                for line in first {
                    let _ = writeln!(out, "{indent}{:label_width$}    {line}", "");
                }
                let _ = writeln!(
                    out,
                    "{indent}{:label_width$}    {last:<value_width$}  {}",
                    "",
                    p.dim(&format!("on {}", holders(group, groups, options.hosts)))
                );
            }
            if let Some(rest) = rest_of(groups, options.hosts) {
                let _ = writeln!(
                    out,
                    "{indent}{:label_width$}    {}",
                    "",
                    p.dim(&format!("… {rest} (--all-hosts lists every one)"))
                );
            }
        }
        _ => {
            let value = cell_summary_with(cell, baseline, classes, options.hosts);
            let mut detail = comparison.map(describe_comparison);
            if detail.is_none() && fact.change == ChangeKind::Kind {
                detail = cell.value().map(|v| format!("a {}", v.kind()));
            }
            let paint = |line: &str| match cell {
                Cell::Absent => p.severity(Severity::Critical, line),
                _ => line.to_string(),
            };
            let lines = wrap(&value, options.max_width);
            let last = lines.len() - 1;
            for (i, line) in lines.iter().enumerate() {
                let label = if i == 0 { label } else { "" };
                let line = paint(line);
                match detail.as_ref().filter(|_| i == last) {
                    Some(d) => {
                        let _ = writeln!(
                            out,
                            "{indent}{label:<label_width$}  {line}  {}",
                            p.dim(&format!("· {d}"))
                        );
                    }
                    None => {
                        let _ = writeln!(out, "{indent}{label:<label_width$}  {line}");
                    }
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
                    for (i, part) in wrap(&text, options.max_width).iter().enumerate() {
                        let lead = if i == 0 { "  " } else { "    " };
                        lines.push(p.dim(&format!("{lead}{part}")));
                    }
                }
            }
            RowTag::Changed | RowTag::Removed | RowTag::Added => {
                changes_shown += 1;
                if let Some(line) = row.left.as_ref().filter(|_| row.tag != RowTag::Added) {
                    lines.extend(diff_line(line, '-', options));
                }
                if let Some(line) = row.right.as_ref().filter(|_| row.tag != RowTag::Removed) {
                    lines.extend(diff_line(line, '+', options));
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

/// Every changed hunk of a text comparison as plain unified-diff lines (`@@ line N @@`,
/// `- old`, `+ new`, context indented by two spaces), lines never wrapped nor cut: for
/// Markdown and HTML, which wrap them themselves.
pub fn plain_hunks(rows: &[TextRow], context: usize) -> Vec<String> {
    let options = TextOptions {
        context,
        max_width: 100_000,
        ..TextOptions::new(Palette::plain())
    };
    text_excerpt(rows, &options)
}

/// A palette method painting one role.
type Paint = fn(Palette, &str) -> String;

/// One `-` or `+` line, its changed spans emphasised when colour is on. A line longer
/// than the width wraps; its continuations repeat the sign, indented further.
fn diff_line(line: &TextLine, sign: char, options: &TextOptions) -> Vec<String> {
    let p = options.palette;
    let (plain, strong): (Paint, Paint) = if sign == '+' {
        (Palette::added, Palette::added_strong)
    } else {
        (Palette::removed, Palette::removed_strong)
    };
    let fits = line.text.chars().count() <= options.max_width;
    if !p.enabled() || line.changed.is_empty() || !fits {
        let text = sanitize(&line.text, false);
        return wrap(&text, options.max_width)
            .iter()
            .enumerate()
            .map(|(i, part)| {
                let lead = if i == 0 { " " } else { "   " };
                plain(p, &format!("{sign}{lead}{part}"))
            })
            .collect();
    }
    vec![emphasised(line, sign, p, plain, strong)]
}

/// A line that fits, its changed spans painted `strong` and the rest `plain`.
fn emphasised(line: &TextLine, sign: char, p: Palette, plain: Paint, strong: Paint) -> String {
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
        let member = sanitize(member, false);
        for (i, part) in wrap(&member, options.max_width).iter().enumerate() {
            let text = if i == 0 {
                format!("{sign} {part}")
            } else {
                format!("    {part}")
            };
            lines.push(if sign == '+' {
                p.added(&text)
            } else {
                p.removed(&text)
            });
        }
    }
    if total > options.max_members {
        lines.push(p.dim(&format!("… {} more members", total - options.max_members)));
    }
    lines
}

/// `field: old → new`, each side in full; a long pair wraps, old and new on lines of
/// their own.
fn field_lines(changes: &[FieldChange], options: &TextOptions) -> Vec<String> {
    let p = options.palette;
    let show = |v: &Option<String>| match v {
        Some(v) => sanitize(v, false).into_owned(),
        None => "(absent)".to_string(),
    };
    let mut lines = Vec::new();
    for c in changes {
        let field = sanitize(&c.field, false);
        let (base, other) = (show(&c.base), show(&c.other));
        let one_line = format!("{field}: {base} → {other}");
        if one_line.chars().count() <= options.max_width {
            lines.push(format!(
                "{field}: {} → {}",
                p.removed(&base),
                p.added(&other)
            ));
            continue;
        }
        lines.push(format!("{field}:"));
        for part in wrap(&base, options.max_width) {
            lines.push(p.removed(&format!("  − {part}")));
        }
        for part in wrap(&other, options.max_width) {
            lines.push(p.added(&format!("  + {part}")));
        }
    }
    lines
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
    fn every_changed_hunk_is_shown_by_default() {
        let rows = text_rows(40);
        let lines = text_excerpt(&rows, &TextOptions::new(Palette::plain()));
        for i in (2..=40).step_by(2) {
            assert!(lines.contains(&format!("- old {i}")), "{lines:?}");
            assert!(lines.contains(&format!("+ new {i}")), "{lines:?}");
        }
        assert!(!lines.iter().any(|l| l.contains("more changed")));
    }

    #[test]
    fn long_lines_and_values_wrap_without_losing_a_word() {
        let long = "server_name shop.example.com www.shop.example.com api.shop.example.com \
                    admin.shop.example.com static.shop.example.com;";
        let line = TextLine {
            number: 3,
            text: long.to_string(),
            changed: Vec::new(),
        };
        let options = TextOptions {
            max_width: 40,
            ..TextOptions::new(Palette::plain())
        };
        let lines = diff_line(&line, '+', &options);
        assert!(lines.len() > 1, "{lines:?}");
        assert!(lines.iter().all(|l| l.chars().count() <= 44), "{lines:?}");
        assert!(lines[0].starts_with("+ server_name") && lines[1].starts_with("+   "));
        let words: Vec<&str> = lines
            .iter()
            .flat_map(|l| l.trim_start_matches('+').split_whitespace())
            .collect();
        assert_eq!(words.join(" "), long);
    }

    #[test]
    fn long_text_excerpts_can_be_cut_and_counted() {
        let rows = text_rows(40);
        let options = TextOptions {
            max_excerpt_lines: 12,
            ..TextOptions::new(Palette::plain())
        };
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
