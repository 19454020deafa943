//! The migration report, fit for a pull-request comment: summary, score, routes table, findings.

use super::{Report, Severity};

impl<'a> Report<'a> {
    /// The compatibility score: 100, less 10 per error and 2 per warning (notes are free), at
    /// least 0. Coarse on purpose: it moves when a change adds or removes a blocking finding.
    pub fn score(&self) -> usize {
        let penalty = 10 * self.count(Severity::Error) + 2 * self.count(Severity::Warning);
        100usize.saturating_sub(penalty)
    }

    pub fn to_markdown(&self) -> String {
        let mut out = String::from("# BustAPI migration report\n\n");
        let routes: usize = self.apps.iter().map(|(_, r)| r.len()).sum();
        let unresolved: usize = self
            .apps
            .iter()
            .flat_map(|(_, r)| r)
            .filter(|r| r.unresolved.is_some())
            .count();
        let (e, w, i) = (
            self.count(Severity::Error),
            self.count(Severity::Warning),
            self.count(Severity::Info),
        );
        let verdict = if e > 0 {
            "❌ needs changes before it can run on BustAPI"
        } else if w > 0 {
            "⚠️ runs on BustAPI, with differences to review"
        } else {
            "✅ ready for BustAPI"
        };
        out.push_str("## Summary\n\n");
        out.push_str(&format!("**Score: {}/100** — {verdict}\n\n", self.score()));
        out.push_str("| | |\n|---|---|\n");
        out.push_str(&format!("| files checked | {} |\n", self.files_checked));
        out.push_str(&format!("| applications | {} |\n", self.apps.len()));
        out.push_str(&format!(
            "| routes | {routes} ({unresolved} not resolvable from source) |\n"
        ));
        out.push_str(&format!(
            "| errors | {e} |\n| warnings | {w} |\n| notes | {i} |\n\n"
        ));

        out.push_str("## Routes\n\n");
        if routes == 0 {
            out.push_str("No routes found.\n\n");
        }
        for (name, table) in &self.apps {
            if table.is_empty() {
                continue;
            }
            out.push_str(&format!("### `{}`\n\n", md(name)));
            out.push_str("| rule | methods | endpoint | source |\n|---|---|---|---|\n");
            for r in table {
                let rule = match (&r.rule, &r.unresolved) {
                    (Some(rule), None) => format!("`{}`", md(rule)),
                    (Some(rule), Some(why)) => format!("`{}` ⚠️ {}", md(rule), md(why)),
                    (None, Some(why)) => format!("⚠️ {}", md(why)),
                    (None, None) => "?".into(),
                };
                let file = &self.files[r.loc.file];
                let line = file.source.line_col(r.loc.range.start()).line;
                out.push_str(&format!(
                    "| {} | {} | `{}` | `{}:{}` |\n",
                    rule,
                    r.methods.join(", "),
                    md(r.endpoint.as_deref().unwrap_or("?")),
                    md(&file.path),
                    line
                ));
            }
            out.push('\n');
        }

        out.push_str("## Findings\n\n");
        if self.diagnostics.is_empty() {
            out.push_str("None.\n");
        } else {
            out.push_str("| | code | where | finding |\n|---|---|---|---|\n");
            for d in &self.diagnostics {
                let l = self.located(d);
                let icon = match d.severity {
                    Severity::Error => "❌",
                    Severity::Warning => "⚠️",
                    Severity::Info => "ℹ️",
                };
                let place = l
                    .file
                    .map_or(String::from("—"), |f| format!("`{}:{}`", md(f), l.line));
                let mut text = md(&d.message);
                if let Some(help) = &d.help {
                    text.push_str(&format!("<br>*help:* {}", md(help)));
                }
                out.push_str(&format!(
                    "| {icon} | [{code}](docs/rules/{code}.md) | {place} | {text} |\n",
                    code = d.code
                ));
            }
        }
        out
    }
}

/// Escapes text for a Markdown table cell.
fn md(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}
