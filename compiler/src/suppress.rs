//! Inline suppressions: `# bustapi: ignore[BA101, BA102]` (or `# bustapi: ignore` for every code)
//! in a comment on the line where a finding starts.

use crate::frontend::SourceFile;

/// Is `code` suppressed on 1-based `line` of `file`?
pub fn is_suppressed(file: &SourceFile, line: usize, code: &str) -> bool {
    let text = file.line_text(line);
    let Some(hash) = text.find('#') else {
        return false;
    };
    let comment = &text[hash..];
    let mut rest = comment;
    while let Some(at) = rest.find("bustapi:") {
        let after = rest[at + "bustapi:".len()..].trim_start();
        if let Some(args) = after.strip_prefix("ignore") {
            let args = args.trim_start();
            match args.strip_prefix('[') {
                None => return true,
                Some(list) => {
                    let list = list.split(']').next().unwrap_or("");
                    if list
                        .split(',')
                        .map(str::trim)
                        .any(|c| !c.is_empty() && code.starts_with(c))
                    {
                        return true;
                    }
                }
            }
        }
        rest = &rest[at + 1..];
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_comments() {
        let f = SourceFile::parse(
            "x.py",
            "a = 1  # bustapi: ignore[BA101, BA2]\nb = 2 # bustapi: ignore\nc = 3 # noqa\n".into(),
        );
        assert!(is_suppressed(&f, 1, "BA101"));
        assert!(is_suppressed(&f, 1, "BA201"));
        assert!(!is_suppressed(&f, 1, "BA102"));
        assert!(is_suppressed(&f, 2, "BA999"));
        assert!(!is_suppressed(&f, 3, "BA101"));
    }
}
