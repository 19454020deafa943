//! Each rule against its fixtures in `tests/fixtures/rules/BAxxx/`: every `fail_*.py` gives at
//! least one finding of that code (the rendered diagnostics are snapshotted), every `pass_*.py`
//! gives none. Every rule has both kinds, and a docs page generated from its doc comment.

use std::path::{Path, PathBuf};

use bustapi_compiler::check::{rule_doc, RULES};
use bustapi_compiler::config::{Format, Options};

#[test]
fn rule_fixtures() {
    for (rule, _) in RULES {
        let dir = Path::new("tests/fixtures/rules").join(rule.code);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|_| panic!("{} has no fixtures dir {}", rule.code, dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "py") || p.is_dir())
            .collect();
        files.sort();
        let (mut pass, mut fail) = (0, 0);
        for file in files {
            let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
            let options = Options {
                format: Format::Text,
                select: Some(vec![rule.code.to_string()]),
                config: Some(String::new()),
                ..Options::default()
            };
            let outcome = bustapi_compiler::check(std::slice::from_ref(&file), &options);
            let tag = format!("[{}]", rule.code);
            if stem.starts_with("pass") {
                pass += 1;
                assert!(
                    !outcome.output.contains(&tag),
                    "{} should pass:\n{}",
                    file.display(),
                    outcome.output
                );
            } else if stem.starts_with("fail") {
                fail += 1;
                assert!(
                    outcome.output.contains(&tag),
                    "{} should fail:\n{}",
                    file.display(),
                    outcome.output
                );
                insta::assert_snapshot!(format!("{}_{stem}", rule.code), outcome.output);
            }
        }
        assert!(
            pass > 0 && fail > 0,
            "{} needs pass_ and fail_ fixtures",
            rule.code
        );
    }
}

/// `docs/rules/BAxxx.md` are generated from the rule files' doc comments; set
/// `BUSTAPI_UPDATE_DOCS=1` to rewrite them.
#[test]
fn rule_docs_are_current() {
    let update = std::env::var_os("BUSTAPI_UPDATE_DOCS").is_some();
    let mut index = String::from("# Rules of `bustapi check`\n\n| code | name | severity | what it reports |\n|---|---|---|---|\n");
    for (rule, _) in RULES {
        let doc = rule_doc(rule.code).expect("doc");
        for heading in ["## What it does", "## Why", "## Example", "## Fix"] {
            assert!(doc.contains(heading), "{} doc lacks {heading}", rule.code);
        }
        let page = format!(
            "<!-- generated from compiler/src/check/{}.rs; do not edit -->\n{doc}",
            rule.code.to_lowercase()
        );
        let path = Path::new("../docs/rules").join(format!("{}.md", rule.code));
        if update {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &page).unwrap();
        } else {
            let current = std::fs::read_to_string(&path).unwrap_or_default();
            assert_eq!(current, page, "{} is stale: run BUSTAPI_UPDATE_DOCS=1 cargo test -p bustapi-compiler --test rules", path.display());
        }
        index.push_str(&format!(
            "| [{0}]({0}.md) | `{1}` | {2} | {3} |\n",
            rule.code,
            rule.name,
            rule.severity.as_str(),
            rule.summary
        ));
    }
    let path = Path::new("../docs/rules/README.md");
    if update {
        std::fs::write(path, &index).unwrap();
    } else {
        assert_eq!(
            std::fs::read_to_string(path).unwrap_or_default(),
            index,
            "docs/rules/README.md is stale"
        );
    }
}
