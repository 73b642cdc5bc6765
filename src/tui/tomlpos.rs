//! Line numbers for errors in the small TOML files the explorer reads (keymaps, themes).

use std::fmt;
use std::ops::Range;

/// An error in a keymap or theme file, naming the file and the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    /// The file, as shown to the user.
    pub file: String,
    /// 1-based line of the problem; 0 when unknown.
    pub line: usize,
    /// What is wrong, in one line.
    pub message: String,
}

impl FileError {
    /// An error at the byte offset `span.start` of `text`.
    pub fn at(
        file: &str,
        text: &str,
        span: Option<Range<usize>>,
        message: impl Into<String>,
    ) -> Self {
        FileError {
            file: file.to_string(),
            line: span.map_or(0, |s| line_of(text, s.start)),
            message: one_line(&message.into()),
        }
    }

    /// An error from the TOML parser itself.
    pub fn from_toml(file: &str, text: &str, err: &toml::de::Error) -> Self {
        FileError::at(file, text, err.span(), err.message())
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{} line {}: {}", self.file, self.line, self.message)
        } else {
            write!(f, "{}: {}", self.file, self.message)
        }
    }
}

impl std::error::Error for FileError {}

/// The 1-based line holding byte `offset` of `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_counted_from_one() {
        let text = "a = 1\nb = 2\nc = 3\n";
        assert_eq!(line_of(text, 0), 1);
        assert_eq!(line_of(text, 6), 2);
        assert_eq!(line_of(text, 999), 4);
    }

    #[test]
    fn display_names_file_and_line() {
        let e = FileError::at("keymap.toml", "x\ny", Some(2..3), "bad\nthing");
        assert_eq!(e.to_string(), "keymap.toml line 2: bad thing");
    }
}
