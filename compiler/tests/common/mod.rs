//! Helpers shared by the compiler's integration tests and its `corpus` example (each is its own
//! crate, so they include this file as a module).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Every file under `dir` that `keep` accepts, recursively (symlinked directories are not
/// followed, so a loop cannot hang a test), in no particular order.
pub fn walk(dir: &Path, keep: &dyn Fn(&Path) -> bool, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() && !p.is_symlink() {
            walk(&p, keep, out);
        } else if p.is_file() && keep(&p) {
            out.push(p);
        }
    }
}

/// A Python source file.
pub fn is_py(p: &Path) -> bool {
    p.extension().is_some_and(|x| x == "py")
}

/// `sysconfig.get_paths()[key]` of the `python3` on PATH, if it is a directory.
pub fn python_path(key: &str) -> Option<PathBuf> {
    let code = format!("import sysconfig; print(sysconfig.get_paths()[{key:?}])");
    let out = Command::new("python3").args(["-c", &code]).output().ok()?;
    let path = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
    path.is_dir().then_some(path)
}
