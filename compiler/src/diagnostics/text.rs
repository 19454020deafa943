//! rustc/ruff-style text: a title with the code, a code frame with the marked range, a help line.
//!
//! Rendered with `annotate-snippets`: it is rustc's own renderer and what ruff uses, so the frames
//! look like the ones Rust and Python users already read; it is small (no I/O, no global state,
//! colour through ANSI styles we can switch off), unlike miette's reporter, which wants to own
//! error types and the terminal, and it is more actively kept than codespan-reporting.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::{Diagnostic, Report, Severity};

impl<'a> Report<'a> {
    /// All diagnostics as text, then a summary line. `color` adds ANSI styles.
    pub fn to_text(&self, color: bool) -> String {
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let mut out = String::new();
        for d in &self.diagnostics {
            out.push_str(&self.render_one(&renderer, d));
            out.push_str("\n\n");
        }
        let (e, w, i) = (
            self.count(Severity::Error),
            self.count(Severity::Warning),
            self.count(Severity::Info),
        );
        if e + w + i == 0 {
            out.push_str(&format!(
                "All checks passed ({} files).\n",
                self.files_checked
            ));
        } else {
            out.push_str(&format!(
                "Found {} error{}, {} warning{}, {} note{} in {} files.\n",
                e,
                plural(e),
                w,
                plural(w),
                i,
                plural(i),
                self.files_checked
            ));
        }
        out
    }

    fn render_one(&self, renderer: &Renderer, d: &Diagnostic) -> String {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Info => Level::NOTE,
        };
        let title = level.primary_title(d.message.as_str()).id(d.code);
        let mut groups: Vec<Group<'_>> = Vec::new();
        match d.file {
            Some(f) => {
                let view = &self.files[f];
                let src = view.source;
                let text = src.text.as_str();
                let start = floor_char(text, d.range.start().to_usize());
                let end = floor_char(text, d.range.end().to_usize()).max(start);
                // Frame only the lines the range covers (keeps rendering O(range) on big files).
                let line_start = text[..start].rfind('\n').map_or(0, |p| p + 1);
                let line_end = text[end..].find('\n').map_or(text.len(), |p| end + p);
                let frame = &text[line_start..line_end];
                let first_line = src.line_col(d.range.start()).line;
                let (a, b) = (start - line_start, end - line_start);
                // An empty range marks the character after it (if any), whole: the renderer slices
                // by bytes (found by fuzzing: a marker ending inside a multi-byte character).
                let b = if a == b {
                    frame[a..].chars().next().map_or(a, |c| a + c.len_utf8())
                } else {
                    b
                };
                let mut annotation = AnnotationKind::Primary.span(a..b);
                if let Some(label) = &d.label {
                    annotation = annotation.label(label.as_str());
                }
                let snippet = Snippet::source(frame)
                    .line_start(first_line)
                    .path(view.path.as_str())
                    .annotation(annotation);
                groups.push(title.element(snippet));
            }
            None => groups.push(Group::with_title(title)),
        }
        if let Some(help) = &d.help {
            groups.push(Group::with_title(
                Level::HELP.secondary_title(help.as_str()),
            ));
        }
        renderer.render(&groups)
    }
}

/// The largest char boundary at or before `i` (and within the text).
fn floor_char(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
