//! Diagnostics and their output formats.
//!
//! A [`Diagnostic`] is a finding with a stable code, a severity, a primary source range and a help
//! line. [`Report`] holds the findings of one run plus what the outputs need (file texts, routes,
//! rule table) and renders them as text ([`text`]), JSON, SARIF 2.1.0 ([`sarif`]), GitHub workflow
//! annotations and a Markdown migration report ([`markdown`]).

pub mod markdown;
pub mod sarif;
pub mod text;

use serde::Serialize;

use crate::check::RuleInfo;
use crate::frontend::{LineCol, SourceFile, TextRange};
use crate::model::routes::Route;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One finding.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    /// File index in [`Report::files`]; `None` for findings about no file in particular.
    pub file: Option<usize>,
    pub range: TextRange,
    /// Short text under the code frame's marker.
    pub label: Option<String>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(
        rule: &RuleInfo,
        file: usize,
        range: TextRange,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            code: rule.code,
            severity: rule.severity,
            message: message.into(),
            file: Some(file),
            range,
            label: None,
            help: None,
        }
    }

    pub fn label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn severity(mut self, severity: Severity) -> Diagnostic {
        self.severity = severity;
        self
    }
}

/// A file as outputs see it: display path and (for code frames) the parsed source.
pub struct FileView<'a> {
    pub path: String,
    pub source: &'a SourceFile,
}

/// The result of a run, ready to render.
pub struct Report<'a> {
    pub files: Vec<FileView<'a>>,
    pub diagnostics: Vec<Diagnostic>,
    /// Per application: its display name and route table.
    pub apps: Vec<(String, Vec<Route>)>,
    pub rules: &'static [RuleInfo],
    /// Number of files read (for summaries).
    pub files_checked: usize,
}

/// A diagnostic with its location resolved, as JSON outputs write it.
#[derive(Serialize)]
pub struct Located<'d> {
    pub code: &'static str,
    pub severity: Severity,
    pub message: &'d str,
    pub file: Option<&'d str>,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<&'d str>,
}

impl<'a> Report<'a> {
    pub fn location(&self, d: &Diagnostic) -> (LineCol, LineCol) {
        match d.file {
            Some(f) => {
                let src = self.files[f].source;
                (src.line_col(d.range.start()), src.line_col(d.range.end()))
            }
            None => (
                LineCol { line: 1, column: 1 },
                LineCol { line: 1, column: 1 },
            ),
        }
    }

    pub fn located<'d>(&'d self, d: &'d Diagnostic) -> Located<'d> {
        let (start, end) = self.location(d);
        Located {
            code: d.code,
            severity: d.severity,
            message: &d.message,
            file: d.file.map(|f| self.files[f].path.as_str()),
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            help: d.help.as_deref(),
        }
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// `{"diagnostics": [...], "summary": {...}}`.
    pub fn to_json(&self) -> String {
        let diagnostics: Vec<Located<'_>> =
            self.diagnostics.iter().map(|d| self.located(d)).collect();
        let value = serde_json::json!({
            "diagnostics": diagnostics,
            "summary": {
                "files": self.files_checked,
                "errors": self.count(Severity::Error),
                "warnings": self.count(Severity::Warning),
                "info": self.count(Severity::Info),
                "routes": self.apps.iter().map(|(_, r)| r.len()).sum::<usize>(),
            },
        });
        serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
    }

    /// GitHub Actions workflow commands (`::error file=...,line=...::message`).
    pub fn to_github(&self) -> String {
        let mut out = String::new();
        for d in &self.diagnostics {
            let l = self.located(d);
            let level = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            let props = match l.file {
                Some(file) => format!(
                    "file={},line={},col={},endLine={},endColumn={},title={}",
                    escape_property(file),
                    l.line,
                    l.column,
                    l.end_line,
                    l.end_column,
                    d.code
                ),
                None => format!("title={}", d.code),
            };
            out.push_str(&format!("::{level} {props}::{}\n", escape_data(&message)));
        }
        out
    }
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}
