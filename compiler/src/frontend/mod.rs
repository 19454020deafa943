//! The Python front end: the only module that names the parser crates.
//!
//! Everything else in the compiler sees [`SourceFile`] (text, AST, line index, syntax errors) and the
//! re-exported AST types in [`ast`], so bumping `ruff_python_parser` (pinned `=0.0.10`, the newest
//! that builds on rustc 1.95) touches this file only.

use std::path::{Path, PathBuf};

pub use ruff_python_ast as ast;
pub use ruff_text_size::{Ranged, TextRange, TextSize};

use ruff_python_parser::{parse_unchecked_source, ParseErrorType};
use ruff_source_file::LineIndex;

/// A 1-based line and column (columns counted in characters, like editors and SARIF).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// A syntax error reported by the parser, with its byte range in the file.
#[derive(Clone, Debug)]
pub struct SyntaxError {
    pub message: String,
    pub range: TextRange,
}

/// One parsed Python file. The parser recovers from errors, so `module` is a (partial) AST even
/// when `errors` is not empty; the model uses it, the checker reports the errors.
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    pub module: ast::ModModule,
    pub errors: Vec<SyntaxError>,
    index: LineIndex,
}

impl SourceFile {
    /// Parses `text` as the contents of `path`. Never panics on any input.
    pub fn parse(path: impl Into<PathBuf>, text: String) -> SourceFile {
        let parsed = parse_unchecked_source(&text, ast::PySourceType::Python);
        let errors = parsed
            .errors()
            .iter()
            .map(|e| SyntaxError {
                message: describe(&e.error),
                range: e.location,
            })
            .collect();
        let module = parsed.into_syntax();
        let index = LineIndex::from_source_text(&text);
        SourceFile {
            path: path.into(),
            text,
            module,
            errors,
            index,
        }
    }

    /// Reads and parses a file; an unreadable file (missing, a directory, not UTF-8) is an `Err`
    /// with a message naming it.
    pub fn read(path: &Path) -> Result<SourceFile, String> {
        let bytes =
            std::fs::read(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            let prefix = &e.as_bytes()[..at];
            let line = prefix.iter().filter(|b| **b == b'\n').count() + 1;
            let column = at
                - prefix
                    .iter()
                    .rposition(|b| *b == b'\n')
                    .map_or(0, |p| p + 1)
                + 1;
            format!(
                "{}:{line}:{column}: cannot read: not valid UTF-8 (Python source must be UTF-8)",
                path.display()
            )
        })?;
        Ok(SourceFile::parse(path, text))
    }

    /// Line and column (1-based) of a byte offset.
    pub fn line_col(&self, offset: TextSize) -> LineCol {
        let offset = offset.min(TextSize::try_from(self.text.len()).unwrap_or(TextSize::new(0)));
        let lc = self.index.line_column(offset, &self.text);
        LineCol {
            line: lc.line.get(),
            column: lc.column.get(),
        }
    }

    /// The text of the 1-based line `line`, without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        self.text.lines().nth(line.saturating_sub(1)).unwrap_or("")
    }

    /// Number of lines in the file.
    pub fn line_count(&self) -> usize {
        self.index.line_count()
    }

    /// The source text of a node.
    pub fn slice(&self, range: TextRange) -> &str {
        self.text
            .get(range.start().to_usize()..range.end().to_usize())
            .unwrap_or("")
    }
}

fn describe(error: &ParseErrorType) -> String {
    error.to_string()
}
