//! SARIF 2.1.0 for code-scanning upload: one run, the rule table as the driver's rules, results
//! with physical locations relative to the source root (`%SRCROOT%`).

use serde_json::{json, Value};

use super::{Report, Severity};

pub const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

impl<'a> Report<'a> {
    pub fn to_sarif(&self) -> String {
        let rules: Vec<Value> = self
            .rules
            .iter()
            .map(|r| {
                json!({
                    "id": r.code,
                    "name": r.name,
                    "shortDescription": { "text": r.summary },
                    "fullDescription": { "text": r.summary },
                    "helpUri": format!("https://github.com/bustapi/bustapi/blob/main/docs/rules/{}.md", r.code),
                    "help": { "text": r.fix, "markdown": r.fix },
                    "defaultConfiguration": { "level": level(r.severity) },
                })
            })
            .collect();
        let results: Vec<Value> = self
            .diagnostics
            .iter()
            .map(|d| {
                let l = self.located(d);
                let mut message = d.message.clone();
                if let Some(help) = &d.help {
                    message.push_str("\nhelp: ");
                    message.push_str(help);
                }
                let mut result = json!({
                    "ruleId": d.code,
                    "level": level(d.severity),
                    "message": { "text": message },
                });
                if let Some(index) = self.rules.iter().position(|r| r.code == d.code) {
                    result["ruleIndex"] = json!(index);
                }
                if let Some(file) = l.file {
                    result["locations"] = json!([{
                        "physicalLocation": {
                            "artifactLocation": { "uri": uri(file), "uriBaseId": "%SRCROOT%" },
                            "region": {
                                "startLine": l.line,
                                "startColumn": l.column,
                                "endLine": l.end_line,
                                "endColumn": l.end_column.max(if l.end_line == l.line { l.column + 1 } else { 1 }),
                            }
                        }
                    }]);
                }
                result
            })
            .collect();
        let doc = json!({
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": {
                    "driver": {
                        "name": "bustapi",
                        "informationUri": "https://github.com/bustapi/bustapi",
                        "semanticVersion": env!("CARGO_PKG_VERSION"),
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }]
        });
        serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
    }
}

/// A relative URI reference for a path (forward slashes, `./` dropped, spaces and `%` escaped).
fn uri(path: &str) -> String {
    let p = path.replace('\\', "/");
    let p = p.strip_prefix("./").unwrap_or(&p);
    p.replace('%', "%25").replace(' ', "%20")
}
