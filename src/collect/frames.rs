//! Parses the framed output of a probe script (see [`super::script`]). Pure.

/// One probe's captured result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// The probe's index in the script.
    pub index: usize,
    /// Its exit status.
    pub status: i32,
    /// Its standard output (invalid UTF-8 replaced).
    pub stdout: String,
    /// Its standard error (invalid UTF-8 replaced).
    pub stderr: String,
}

/// Everything read from one run of a script.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Frames {
    /// The frames whose bytes arrived in full, in table order.
    pub frames: Vec<Frame>,
    /// Whether the script's end marker was seen after the last capture.
    pub complete: bool,
}

/// Reads the frames carrying `token` from `output`. Text before the table (a login
/// banner, a shell's chatter) is skipped. Output cut short gives the frames that
/// arrived in full, with `complete` false. Fails only on a malformed table.
pub fn parse(output: &[u8], token: &str) -> Result<Frames, String> {
    let (mut result, pos) = read_table(output, token)?;
    let end_marker = format!("@@{token} end");
    result.complete = pos.is_some_and(|pos| {
        output[pos..]
            .windows(end_marker.len())
            .any(|w| w == end_marker.as_bytes())
    });
    Ok(result)
}

/// One run's frames read from output that may hold several runs one after another (as
/// when captured outputs are concatenated), and the offset where the next run may start.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Block {
    /// The frames; `complete` only when the end marker follows the captures directly.
    pub frames: Frames,
    /// The offset just past this run's end marker (or its last capture when cut short).
    pub end: usize,
}

/// Like [`parse`], but reads only the first run in `output` and says where it ended.
pub fn parse_block(output: &[u8], token: &str) -> Result<Block, String> {
    let (mut frames, pos) = read_table(output, token)?;
    let Some(pos) = pos else {
        return Ok(Block {
            frames,
            end: output.len(),
        });
    };
    let end_marker = format!("\n@@{token} end\n");
    let end = if output[pos..].starts_with(end_marker.as_bytes()) {
        frames.complete = true;
        pos + end_marker.len()
    } else {
        pos
    };
    Ok(Block { frames, end })
}

/// The frames whose bytes arrived in full, and the offset after the last capture when
/// every capture arrived (`None` when the output was cut short).
fn read_table(output: &[u8], token: &str) -> Result<(Frames, Option<usize>), String> {
    let header = format!("@@{token} frames ");
    let mut result = Frames::default();
    let Some(start) = find_at_line_start(output, header.as_bytes()) else {
        return Ok((result, None));
    };
    let mut lines = LineReader {
        bytes: output,
        pos: start + header.len(),
    };
    let Some(count) = lines.next() else {
        return Ok((result, None));
    };
    let count: usize = count
        .trim()
        .parse()
        .map_err(|_| format!("malformed frame count '{}'", count.trim()))?;
    let mut table = Vec::with_capacity(count.min(4096));
    for _ in 0..count {
        let Some(line) = lines.next() else {
            return Ok((result, None));
        };
        table.push(parse_entry(&line)?);
    }
    let mut pos = lines.pos;
    for (index, status, out_len, err_len) in table {
        let Some(end) = pos
            .checked_add(out_len)
            .and_then(|e| e.checked_add(err_len))
            .filter(|&e| e <= output.len())
        else {
            return Ok((result, None));
        };
        result.frames.push(Frame {
            index,
            status,
            stdout: String::from_utf8_lossy(&output[pos..pos + out_len]).into_owned(),
            stderr: String::from_utf8_lossy(&output[pos + out_len..end]).into_owned(),
        });
        pos = end;
    }
    Ok((result, Some(pos)))
}

/// `<index> <status> <stdout bytes> <stderr bytes>`.
fn parse_entry(line: &str) -> Result<(usize, i32, usize, usize), String> {
    let bad = || format!("malformed frame entry '{}'", line.trim());
    let fields: Vec<&str> = line.split_whitespace().collect();
    let [index, status, out_len, err_len] = fields.as_slice() else {
        return Err(bad());
    };
    Ok((
        index.parse().map_err(|_| bad())?,
        status.parse().map_err(|_| bad())?,
        out_len.parse().map_err(|_| bad())?,
        err_len.parse().map_err(|_| bad())?,
    ))
}

/// Reads `\n`-terminated lines; a last line without `\n` is not returned.
struct LineReader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl LineReader<'_> {
    fn next(&mut self) -> Option<String> {
        let rest = self.bytes.get(self.pos..)?;
        let nl = rest.iter().position(|&b| b == b'\n')?;
        let line = String::from_utf8_lossy(&rest[..nl]).into_owned();
        self.pos += nl + 1;
        Some(line)
    }
}

/// The offset of the first `needle` that starts a line.
pub fn find_at_line_start(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let mut from = 0;
    while from + needle.len() <= hay.len() {
        let at = from
            + hay[from..]
                .windows(needle.len())
                .position(|w| w == needle)?;
        if at == 0 || hay[at - 1] == b'\n' {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "DSabc";

    #[test]
    fn frames_are_read_by_length_even_when_output_mimics_markers() {
        let out = b"Welcome banner\n@@DSabc frames 2\n0 0 16 0\n1 2 0 4\n@@DSabc frames 9\nerr\n\n@@DSabc end\n";
        let f = parse(out, T).unwrap();
        assert!(f.complete);
        assert_eq!(f.frames.len(), 2);
        assert_eq!(f.frames[0].stdout, "@@DSabc frames 9");
        assert_eq!(f.frames[0].stdout.len(), 16);
        assert_eq!(
            f.frames[1],
            Frame {
                index: 1,
                status: 2,
                stdout: String::new(),
                stderr: "\nerr".into()
            }
        );
    }

    #[test]
    fn truncated_output_keeps_the_frames_that_arrived() {
        let f = parse(b"@@DSabc frames 2\n0 0 2 0\n1 0 5 0\nokhel", T).unwrap();
        assert!(!f.complete);
        assert_eq!(f.frames.len(), 1);
        assert_eq!(f.frames[0].stdout, "ok");
        assert!(!parse(b"", T).unwrap().complete);
        assert!(
            parse(b"@@DSabc frames 3\n0 0 0 0\n", T)
                .unwrap()
                .frames
                .is_empty()
        );
    }

    #[test]
    fn other_tokens_and_bad_tables() {
        let f = parse(b"@@DSzzz frames 0\n\n@@DSzzz end\n", T).unwrap();
        assert!(f.frames.is_empty() && !f.complete);
        assert!(parse(b"@@DSabc frames x\n", T).is_err());
        assert!(parse(b"@@DSabc frames 1\n0 x 0 0\n", T).is_err());
        let huge = parse(b"@@DSabc frames 1\n0 0 99999999999999999999 0\n", T);
        assert!(huge.is_err());
        let big = parse(b"@@DSabc frames 1\n0 0 18446744073709551615 5\n", T).unwrap();
        assert!(big.frames.is_empty());
    }

    #[test]
    fn blocks_end_at_their_own_end_marker() {
        let two = b"@@DSabc frames 1\n0 0 3 0\none\n@@DSabc end\n@@DSabc frames 1\n0 0 3 0\ntwo\n@@DSabc end\n";
        let first = parse_block(two, T).unwrap();
        assert!(first.frames.complete);
        assert_eq!(first.frames.frames[0].stdout, "one");
        let second = parse_block(&two[first.end..], T).unwrap();
        assert!(second.frames.complete);
        assert_eq!(second.frames.frames[0].stdout, "two");
        assert_eq!(first.end + second.end, two.len());
        // A run cut short is not complete, even when a later run's end marker follows.
        let cut = b"@@DSabc frames 1\n0 0 3 0\non@@DSabc frames 1\n0 0 3 0\ntwo\n@@DSabc end\n";
        let block = parse_block(cut, T).unwrap();
        assert!(!block.frames.complete);
        assert_eq!(block.frames.frames[0].stdout, "on@");
    }

    #[test]
    fn invalid_utf8_is_replaced_not_fatal() {
        let f = parse(b"@@DSabc frames 1\n0 0 2 0\n\xff\n\n@@DSabc end\n", T).unwrap();
        assert!(f.complete);
        assert_eq!(f.frames[0].stdout, "\u{fffd}\n");
    }
}
