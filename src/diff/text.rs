//! Side-by-side line diffs of text facts, with intra-line changed spans.
//!
//! Lines are compared without their endings, so `\n` and `\r\n` files and a missing
//! final newline do not show as changes. In a changed hunk, lines are paired in order
//! and each pair gets a word-level diff whose changed byte ranges always fall on
//! character boundaries.

use similar::{Algorithm, DiffOp, capture_diff_slices};

use super::{RowTag, TextLine, TextRow};

/// Byte ranges `(start, end)` of a line.
type Spans = Vec<(usize, usize)>;

/// Aligns two texts into side-by-side rows, `base` on the left.
pub fn side_by_side(base: &str, other: &str) -> Vec<TextRow> {
    let left: Vec<&str> = base.lines().collect();
    let right: Vec<&str> = other.lines().collect();
    let ops = capture_diff_slices(Algorithm::Myers, &left, &right);
    let mut rows = Vec::with_capacity(left.len().max(right.len()));
    for op in ops {
        let (old, new) = (op.old_range(), op.new_range());
        match op {
            DiffOp::Equal { .. } => {
                for (i, j) in old.zip(new) {
                    rows.push(TextRow {
                        tag: RowTag::Equal,
                        left: Some(line(i, left[i], Vec::new())),
                        right: Some(line(j, right[j], Vec::new())),
                    });
                }
            }
            DiffOp::Delete { .. } | DiffOp::Insert { .. } | DiffOp::Replace { .. } => {
                let paired = old.len().min(new.len());
                for (i, j) in old.clone().zip(new.clone()) {
                    let (left_changed, right_changed) = changed_spans(left[i], right[j]);
                    rows.push(TextRow {
                        tag: RowTag::Changed,
                        left: Some(line(i, left[i], left_changed)),
                        right: Some(line(j, right[j], right_changed)),
                    });
                }
                for i in old.skip(paired) {
                    rows.push(TextRow {
                        tag: RowTag::Removed,
                        left: Some(line(i, left[i], Vec::new())),
                        right: None,
                    });
                }
                for j in new.skip(paired) {
                    rows.push(TextRow {
                        tag: RowTag::Added,
                        left: None,
                        right: Some(line(j, right[j], Vec::new())),
                    });
                }
            }
        }
    }
    rows
}

fn line(index: usize, text: &str, changed: Spans) -> TextLine {
    TextLine {
        number: index + 1,
        text: text.to_string(),
        changed,
    }
}

/// Changed byte ranges of each line of a pair, from a word-level diff.
fn changed_spans(left: &str, right: &str) -> (Spans, Spans) {
    let left_tokens = tokenize(left);
    let right_tokens = tokenize(right);
    let left_words: Vec<&str> = left_tokens.iter().map(|&(s, e)| &left[s..e]).collect();
    let right_words: Vec<&str> = right_tokens.iter().map(|&(s, e)| &right[s..e]).collect();
    let mut left_changed = Vec::new();
    let mut right_changed = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &left_words, &right_words) {
        if matches!(op, DiffOp::Equal { .. }) {
            continue;
        }
        push_span(&mut left_changed, &left_tokens, op.old_range());
        push_span(&mut right_changed, &right_tokens, op.new_range());
    }
    (left_changed, right_changed)
}

/// Adds the byte span of tokens `range` to `spans`, joining it to a touching last span.
fn push_span(spans: &mut Spans, tokens: &[(usize, usize)], range: std::ops::Range<usize>) {
    let (Some(first), Some(last)) = (
        tokens.get(range.start),
        range.end.checked_sub(1).and_then(|i| tokens.get(i)),
    ) else {
        return;
    };
    let (start, end) = (first.0, last.1);
    match spans.last_mut() {
        Some(prev) if prev.1 == start => prev.1 = end,
        _ => spans.push((start, end)),
    }
}

/// Splits a line into words (letters, digits, `_`), whitespace runs and single other
/// characters, as byte ranges.
fn tokenize(text: &str) -> Vec<(usize, usize)> {
    #[derive(PartialEq, Clone, Copy)]
    enum Class {
        Word,
        Space,
        Other,
    }
    let class = |c: char| {
        if c.is_alphanumeric() || c == '_' {
            Class::Word
        } else if c.is_whitespace() {
            Class::Space
        } else {
            Class::Other
        }
    };
    let mut tokens: Vec<(usize, usize)> = Vec::new();
    let mut current: Option<Class> = None;
    for (i, c) in text.char_indices() {
        let k = class(c);
        let end = i + c.len_utf8();
        match tokens.last_mut() {
            Some(last) if current == Some(k) && k != Class::Other => last.1 = end,
            _ => tokens.push((i, end)),
        }
        current = Some(k);
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(rows: &[TextRow]) -> Vec<RowTag> {
        rows.iter().map(|r| r.tag).collect()
    }

    fn changed_text(line: &TextLine) -> Vec<&str> {
        line.changed
            .iter()
            .map(|&(s, e)| &line.text[s..e])
            .collect()
    }

    #[test]
    fn equal_texts_give_equal_rows_with_line_numbers() {
        let rows = side_by_side("a\nb\n", "a\nb\n");
        assert_eq!(tags(&rows), [RowTag::Equal, RowTag::Equal]);
        let second = &rows[1];
        assert_eq!(second.left.as_ref().map(|l| l.number), Some(2));
        assert_eq!(second.right.as_ref().map(|l| l.text.as_str()), Some("b"));
    }

    #[test]
    fn changed_line_pairs_with_word_spans() {
        let rows = side_by_side("listen 80;\nworkers 4;\n", "listen 80;\nworkers 8;\n");
        assert_eq!(tags(&rows), [RowTag::Equal, RowTag::Changed]);
        let row = &rows[1];
        let left = row.left.as_ref().unwrap();
        let right = row.right.as_ref().unwrap();
        assert_eq!(changed_text(left), ["4"]);
        assert_eq!(changed_text(right), ["8"]);
        assert_eq!((left.number, right.number), (2, 2));
    }

    #[test]
    fn surplus_lines_of_a_hunk_are_removed_or_added() {
        let rows = side_by_side("keep\nold1\nold2\nend\n", "keep\nnew1\nend\n");
        assert_eq!(
            tags(&rows),
            [
                RowTag::Equal,
                RowTag::Changed,
                RowTag::Removed,
                RowTag::Equal
            ]
        );
        assert!(rows[2].right.is_none());
        assert_eq!(rows[2].left.as_ref().map(|l| l.number), Some(3));

        let rows = side_by_side("a\n", "a\nb\nc\n");
        assert_eq!(tags(&rows), [RowTag::Equal, RowTag::Added, RowTag::Added]);
        assert_eq!(rows[2].right.as_ref().map(|l| l.number), Some(3));
        assert!(rows[2].left.is_none());
    }

    #[test]
    fn line_numbers_follow_each_side() {
        let rows = side_by_side("x\na\n", "a\n");
        assert_eq!(tags(&rows), [RowTag::Removed, RowTag::Equal]);
        assert_eq!(rows[1].left.as_ref().map(|l| l.number), Some(2));
        assert_eq!(rows[1].right.as_ref().map(|l| l.number), Some(1));
    }

    #[test]
    fn crlf_and_missing_final_newline_are_not_changes() {
        let rows = side_by_side("a\r\nb\r\n", "a\nb");
        assert_eq!(tags(&rows), [RowTag::Equal, RowTag::Equal]);
        assert_eq!(rows[0].left.as_ref().map(|l| l.text.as_str()), Some("a"));
    }

    #[test]
    fn spans_fall_on_char_boundaries() {
        let rows = side_by_side("naïve café ünïcode\n", "naïve cafè ünïcode\n");
        let row = &rows[0];
        assert_eq!(row.tag, RowTag::Changed);
        let left = row.left.as_ref().unwrap();
        let right = row.right.as_ref().unwrap();
        assert_eq!(changed_text(left), ["café"]);
        assert_eq!(changed_text(right), ["cafè"]);
    }

    #[test]
    fn touching_changed_tokens_form_one_span() {
        let rows = side_by_side("a=1,2\n", "a=3;4\n");
        let right = rows[0].right.as_ref().unwrap();
        assert_eq!(changed_text(right), ["3;4"]);
    }

    #[test]
    fn empty_texts_give_no_rows() {
        assert!(side_by_side("", "").is_empty());
        let rows = side_by_side("", "only\n");
        assert_eq!(tags(&rows), [RowTag::Added]);
    }
}
