"""`bustapi check`: exit codes, formats, selection, pyproject config, suppressions."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from bustapi.cli import main

APPS = Path(__file__).resolve().parent.parent / "fixtures" / "apps"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", *args])
    return result.exit_code, result.output


def test_clean_app_passes() -> None:
    code, out = run(str(APPS / "one_file"), "--config", "")
    assert code == 0, out
    assert "All checks passed" in out


def test_errors_fail_and_warnings_follow_fail_on() -> None:
    assert run(str(APPS / "bugs"))[0] == 1
    assert run(str(APPS / "middleware"))[0] == 0
    assert run(str(APPS / "middleware"), "--fail-on", "warning")[0] == 1
    assert run(str(APPS / "bugs"), "--fail-on", "never")[0] == 0


def test_select_and_ignore() -> None:
    code, out = run(str(APPS / "bugs"), "--select", "BA403", "--format", "json")
    assert code == 1
    codes = {d["code"] for d in json.loads(out)["diagnostics"]}
    assert codes == {"BA403"}
    code, out = run(str(APPS / "bugs"), "--ignore", "BA4,BA3", "--format", "json")
    assert all(not d["code"].startswith(("BA4", "BA3")) for d in json.loads(out)["diagnostics"])


def test_formats() -> None:
    _, sarif = run(str(APPS / "legacy"), "--format", "sarif")
    doc = json.loads(sarif)
    assert doc["version"] == "2.1.0"
    assert doc["runs"][0]["results"]
    _, gh = run(str(APPS / "legacy"), "--format", "github")
    assert gh.startswith("::error file=")
    _, md = run(str(APPS / "factory"), "--format", "markdown")
    assert "## Routes" in md and "Score: 100/100" in md


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run(str(tmp_path / "missing"))[0] == 2
    assert run(str(APPS / "bugs"), "--select", "XX9")[0] == 2
    assert run("--format", "yaml")[0] == 2


def test_pyproject_config_and_suppression(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(
        "from flask import Flask\n"
        "app = Flask(__name__)\n"
        "app.run(threaded=True)\n"
        "app.run(processes=2)  # bustapi: ignore[BA104]\n"
    )
    (tmp_path / "pyproject.toml").write_text('[tool.bustapi]\nfail-on = "warning"\n')
    code, out = run(str(tmp_path))
    assert code == 1
    assert out.count("BA104") == 1
    (tmp_path / "pyproject.toml").write_text('[tool.bustapi]\nignore = ["BA104"]\n')
    assert run(str(tmp_path), "--fail-on", "warning")[0] == 0


def test_unreadable_file_exit_2(tmp_path: Path) -> None:
    (tmp_path / "latin1.py").write_bytes(b"x = '\xe9'\n")
    code, _ = run(str(tmp_path / "latin1.py"))
    assert code == 2


def test_list_rules() -> None:
    code, out = run("--list-rules")
    assert code == 0 and "BA101" in out and "BA404" in out
