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
    /// The frames, in the order they came.
    pub frames: Vec<Frame>,
    /// Whether the script's end marker was seen (all probes ran).
    pub complete: bool,
}

/// Reads frames carrying `token` from `output`. Text outside frames (a login banner, a
/// shell's chatter) is skipped. A truncated frame ends the reading, with `complete`
/// false. Fails only when a frame header is malformed.
pub fn parse(output: &[u8], token: &str) -> Result<Frames, String> {
    let marker = format!("@@{token} ");
    let marker = marker.as_bytes();
    let mut result = Frames::default();
    let mut pos = 0;
    while let Some(start) = find_at_line_start(output, marker, pos) {
        let header_start = start + marker.len();
        let Some(nl) = output[header_start..].iter().position(|&b| b == b'\n') else {
            break;
        };
        let header = String::from_utf8_lossy(&output[header_start..header_start + nl]);
        pos = header_start + nl + 1;
        if header.trim() == "end" {
            result.complete = true;
            break;
        }
        let fields: Vec<&str> = header.split_whitespace().collect();
        let [index, status, out_len, err_len] = fields.as_slice() else {
            return Err(format!("malformed frame header '{header}'"));
        };
        let parse_num = |s: &str| {
            s.parse::<usize>()
                .map_err(|_| format!("malformed frame header '{header}'"))
        };
        let index = parse_num(index)?;
        let status = status
            .parse::<i32>()
            .map_err(|_| format!("malformed frame header '{header}'"))?;
        let (out_len, err_len) = (parse_num(out_len)?, parse_num(err_len)?);
        let Some(end) = pos
            .checked_add(out_len)
            .and_then(|e| e.checked_add(err_len))
        else {
            return Err(format!("malformed frame header '{header}'"));
        };
        if end > output.len() {
            break;
        }
        let stdout = String::from_utf8_lossy(&output[pos..pos + out_len]).into_owned();
        let stderr = String::from_utf8_lossy(&output[pos + out_len..end]).into_owned();
        result.frames.push(Frame {
            index,
            status,
            stdout,
            stderr,
        });
        pos = end;
    }
    Ok(result)
}

/// The first `needle` at or after `from` that starts a line.
fn find_at_line_start(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i + needle.len() <= hay.len() {
        let rel = hay[i..].windows(needle.len()).position(|w| w == needle)?;
        let at = i + rel;
        if at == from || at == 0 || hay[at - 1] == b'\n' {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "DSabc";

    #[test]
    fn frames_are_read_by_length_even_when_output_mimics_markers() {
        let out = b"Welcome banner\n@@DSabc 0 0 16 0\n@@DSabc 9 9 9 9\n@@DSabc 1 2 0 4\nerr\n@@DSabc end\n";
        let f = parse(out, T).unwrap();
        assert!(f.complete);
        assert_eq!(f.frames.len(), 2);
        assert_eq!(f.frames[0].stdout, "@@DSabc 9 9 9 9\n");
        assert_eq!(
            f.frames[1],
            Frame {
                index: 1,
                status: 2,
                stdout: String::new(),
                stderr: "err\n".into()
            }
        );
    }

    #[test]
    fn truncated_output_is_incomplete() {
        let f = parse(b"@@DSabc 0 0 3 0\nab", T).unwrap();
        assert!(!f.complete);
        assert!(f.frames.is_empty());
        assert!(!parse(b"", T).unwrap().complete);
    }

    #[test]
    fn other_tokens_and_bad_headers() {
        let f = parse(b"@@DSzzz 0 0 0 0\n@@DSabc end\n", T).unwrap();
        assert!(f.frames.is_empty() && f.complete);
        assert!(parse(b"@@DSabc 0 x 0 0\n", T).is_err());
        assert!(parse(b"@@DSabc 0 0 99999999999999999999 0\n", T).is_err());
    }

    #[test]
    fn invalid_utf8_is_replaced_not_fatal() {
        let f = parse(b"@@DSabc 0 0 2 0\n\xff\n@@DSabc end\n", T).unwrap();
        assert_eq!(f.frames[0].stdout, "\u{fffd}\n");
    }
}
