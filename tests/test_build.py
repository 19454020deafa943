"""`bustapi build` end to end: build `tests/apps/kitchen.py` into a binary, serve it, and run the
engine's HTTP tests against it (imported below: pytest resolves their `kitchen`/`client`
fixtures here, so they talk to the built service). Also: the start-up check of the route table,
`--emit routes`, and errors.

Needs cargo; set BUSTAPI_SKIP_BUILD_TESTS=1 to skip. The first build compiles the engine's
dependencies into the shared target dir (CARGO_TARGET_DIR, else `target/`); later ones compile
only the generated crate.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import typing as t
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, RunningServer
from tests.test_http import (  # noqa: F401 - collected here, against the built binary
    test_405_lists_allowed_methods,
    test_chunked_request_body,
    test_converters_and_ordering,
    test_head_and_options,
    test_keep_alive_reuses_connection,
    test_post_json_form_files,
    test_repeated_query_keys_kept,
    test_request_fields,
    test_return_types,
    test_streaming,
    test_strict_slashes_redirect,
    test_template,
    test_text_json_list,
    test_url_for_and_redirects,
)

pytestmark = [
    pytest.mark.skipif(
        bool(os.environ.get("BUSTAPI_SKIP_BUILD_TESTS")) or shutil.which("cargo") is None,
        reason="BUSTAPI_SKIP_BUILD_TESTS is set or cargo is not installed",
    ),
    pytest.mark.timeout(900),
]

TARGET_DIR = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target")


def bustapi_build(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bustapi", "build", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "CARGO_TARGET_DIR": str(TARGET_DIR)},
    )


def build_ok(*args: str, cwd: Path = ROOT) -> Path:
    result = bustapi_build(*args, cwd=cwd)
    assert result.returncode == 0, result.stderr[-4000:]
    exe = Path(result.stdout.strip().splitlines()[-1])
    assert exe.is_file(), result.stdout
    return exe


@pytest.fixture(scope="module")
def built_kitchen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("kitchen-build")
    return build_ok("tests/apps/kitchen.py", "-o", str(out), "--name", "kitchen-e2e")


@pytest.fixture(scope="module")
def kitchen(built_kitchen: Path) -> t.Iterator[RunningServer]:
    server = RunningServer("", command=[str(built_kitchen)])
    yield server
    server.stop()


@pytest.fixture
def client(kitchen: RunningServer) -> t.Iterator[httpx.Client]:
    with kitchen.client() as c:
        yield c


def test_bad_converter_is_answered_in_rust(client: httpx.Client) -> None:
    assert client.get("/user/-5").status_code == 404
    assert client.get("/user/5").json() == {"id": 5, "q": None}


def test_stops_gracefully_on_sigterm(built_kitchen: Path) -> None:
    server = RunningServer("", command=[str(built_kitchen)])
    with server.client() as c:
        assert c.get("/").text == "Hello, World!"
    output = server.stop()
    assert server.proc.returncode == 0, output
    assert "(built) on BustAPI at http://127.0.0.1:" in output


def test_route_table_mismatch_exits_with_a_diff(tmp_path: Path) -> None:
    app = tmp_path / "shop.py"
    app.write_text(
        "from flask import Flask\napp = Flask(__name__)\n\n"
        "@app.get('/')\ndef index():\n    return 'shop'\n"
    )
    exe = build_ok("shop.py", "-o", str(tmp_path / "out"), "--name", "shop-e2e", cwd=tmp_path)
    app.write_text(
        app.read_text() + "\n@app.post('/order/<int:n>')\ndef order(n):\n    return ''\n"
    )
    result = subprocess.run([str(exe), "--port", "0"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "+ /order/<int:n>  [OPTIONS,POST]  -> order" in result.stderr


def test_emit_routes_prints_the_table() -> None:
    result = bustapi_build("tests/apps/kitchen.py", "--emit", "routes")
    assert result.returncode == 0, result.stderr
    assert 'rule: "/user/<int:user_id>"' in result.stdout
    assert "pub fn table() -> StaticTable" in result.stdout


def test_unreadable_input_exits_2(tmp_path: Path) -> None:
    result = bustapi_build(str(tmp_path / "missing.py"), "-o", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "error:" in result.stderr
