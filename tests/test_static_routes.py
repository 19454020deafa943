"""`bustapi routes --static` (source only) against the live `url_map` of each importable fixture.

Each fixture app is imported in its own process, with Flask's own loader (`bustapi routes
TARGET` without `--static` uses `flask.cli.ScriptInfo`), so fixtures sharing module names cannot
see each other. Rules, methods (automatic HEAD/OPTIONS included) and endpoints must be identical;
routes the static model marks unresolved must be exactly the live ones it could not see.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

APPS = Path(__file__).resolve().parent.parent / "fixtures" / "apps"

# (fixture dir, target as `bustapi run` takes it, live rules the static model marks unresolved)
IMPORTABLE = [
    ("one_file", "app.py", 0),
    ("one_file", "app:app", 0),
    ("blueprints", "app.py", 0),
    ("factory", "myapp:create_app()", 0),
    ("factory", "myapp", 0),
    ("methodview", "app.py", 0),
    ("constants", "app", 0),
    ("dynamic", "app.py", 3),
    ("middleware", "app.py", 0),
]


def bustapi(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    code = "from bustapi.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def table(routes: list[dict[str, Any]]) -> set[tuple[str, tuple[str, ...], str]]:
    return {(r["rule"], tuple(r["methods"]), r["endpoint"]) for r in routes}


@pytest.mark.parametrize(("fixture", "target", "unresolved"), IMPORTABLE)
def test_static_routes_equal_live_url_map(fixture: str, target: str, unresolved: int) -> None:
    cwd = APPS / fixture
    static_run = bustapi(cwd, "routes", "--static", target, "--format", "json")
    assert static_run.returncode == 0, static_run.stderr
    live_run = bustapi(cwd, "routes", target, "--format", "json")
    assert live_run.returncode == 0, live_run.stderr
    static = json.loads(static_run.stdout)
    live = json.loads(live_run.stdout)

    resolved = [r for r in static if "unresolved" not in r]
    marked = [r for r in static if "unresolved" in r]
    for r in static:
        assert r["methods"] == sorted(r["methods"])
        assert {"rule", "methods", "endpoint", "file", "line"} <= r.keys()
        assert (cwd / r["file"]).is_file() and r["line"] >= 1
    assert table(resolved) <= table(live)
    missing = table(live) - table(resolved)
    assert len(missing) == unresolved, f"live rules missing from the static table: {missing}"
    if unresolved:
        assert marked, "unresolved live rules must be marked in the static table"
    else:
        assert table(resolved) == table(live)
        assert not marked


def test_live_routes_use_flask_discovery() -> None:
    # No target: FLASK_APP unset, so Flask's ScriptInfo finds app.py in the current directory.
    run = bustapi(APPS / "methodview", "routes", "--format", "json")
    assert run.returncode == 0, run.stderr
    assert any(r["endpoint"] == "item" for r in json.loads(run.stdout))


def test_static_routes_errors_exit_2(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("from flask import Flask\napp = Flask(__name__\n")
    run = bustapi(tmp_path, "routes", "--static", "broken.py")
    assert run.returncode == 2
    assert "broken.py:3:1: syntax error" in run.stderr
    run = bustapi(tmp_path, "routes", "--static", "nothere:app")
    assert run.returncode == 2
    assert "nothere" in run.stderr
