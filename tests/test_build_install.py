"""`bustapi build` without a source checkout: the engine crate's sources travel inside the
extension module (`pymodule/build.rs`) and are written to the cache, with a manifest that
resolves outside the workspace."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from bustapi import _core, build_cli
from tests.conftest import ROOT


def test_embedded_sources_match_the_checkout() -> None:
    files, lock = _core.runtime_sources()
    embedded = dict(files)
    on_disk = {
        str(p.relative_to(ROOT / "runtime")): p.read_text()
        for p in (ROOT / "runtime" / "src").rglob("*.rs")
    }
    assert {k: v for k, v in embedded.items() if k != "Cargo.toml"} == on_disk
    assert lock == (ROOT / "Cargo.lock").read_text()
    manifest = embedded["Cargo.toml"]
    assert "workspace = true" not in manifest and ".workspace" not in manifest
    assert 'name = "bustapi-runtime"' in manifest


def test_materialised_once_and_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    crate = build_cli._materialise_runtime()
    assert (crate / "Cargo.toml").is_file() and (crate / "src" / "lib.rs").is_file()
    assert (crate.parent / "Cargo.lock").is_file()
    stamp = (crate / "src" / "lib.rs").stat().st_mtime_ns
    assert build_cli._materialise_runtime() == crate
    assert (crate / "src" / "lib.rs").stat().st_mtime_ns == stamp
    if shutil.which("cargo"):
        # The manifest stands alone: cargo reads it outside the workspace.
        out = subprocess.run(
            ["cargo", "metadata", "--no-deps", "--format-version", "1"],
            cwd=crate,
            capture_output=True,
            text=True,
            check=True,
        )
        (package,) = json.loads(out.stdout)["packages"]
        assert package["name"] == "bustapi-runtime"
        assert {d["name"] for d in package["dependencies"]} >= {"pyo3", "axum", "askama"}
