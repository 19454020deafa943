"""`bustapi build` of a second application, `fixtures/apps/site` (blueprints with their own
template folders, a login in the session, flashed messages, template globals, an error page, and
the template corpus of `fixtures/templates/`): the built binary and `bustapi run` of the same file
must give the same bytes for every page, and the binary must render the templates the build
compiled with the compiled code.

Needs cargo; BUSTAPI_SKIP_BUILD_TESTS=1 skips it (as tests/test_build.py).
"""

from __future__ import annotations

import os
import shutil
import typing as t
from pathlib import Path

import pytest

from tests.conftest import ROOT, RunningServer
from tests.test_build import bustapi_build

pytestmark = [
    pytest.mark.skipif(
        bool(os.environ.get("BUSTAPI_SKIP_BUILD_TESTS")) or shutil.which("cargo") is None,
        reason="BUSTAPI_SKIP_BUILD_TESTS is set or cargo is not installed",
    ),
    pytest.mark.timeout(900),
]

SITE = ROOT / "fixtures" / "apps" / "site"


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("site-build")
    result = bustapi_build("app.py", "-o", str(out), "--name", "site-e2e", cwd=SITE)
    assert result.returncode == 0, result.stderr[-4000:]
    exe = Path(result.stdout.strip().splitlines()[-1])
    assert exe.is_file()
    return exe, result.stderr


@pytest.fixture(scope="module")
def built(build: tuple[Path, str]) -> t.Iterator[RunningServer]:
    server = RunningServer("", command=[str(build[0])], cwd=SITE)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def reference() -> t.Iterator[RunningServer]:
    server = RunningServer("app:app", cwd=SITE)
    yield server
    server.stop()


def corpus_names(server: RunningServer) -> list[str]:
    with server.client() as c:
        return t.cast("list[str]", c.get("/corpus/").json()["templates"])


def test_build_reports_template_coverage(build: tuple[Path, str]) -> None:
    assert "templates: " in build[1] and " compiled" in build[1], build[1]


def test_binary_renders_compiled_templates(built: RunningServer) -> None:
    with built.client() as c:
        state = c.get("/templates-in-use").json()
    assert state["active"] is True
    # The site's own templates use only translatable constructs.
    site = ["site/base.html", "site/index.html", "site/404.html", "site/login.html"]
    for name in [*site, "blog/list.html", "blog/post.html"]:
        assert name in state["compiled"], state


def test_corpus_identical_to_jinja2(built: RunningServer, reference: RunningServer) -> None:
    names = corpus_names(reference)
    assert len(names) >= 50
    mismatches = []
    with built.client() as b, reference.client() as r:
        for name in names:
            got, want = b.get(f"/corpus/{name}"), r.get(f"/corpus/{name}")
            assert want.status_code == 200, (name, want.text[:500])
            if (got.status_code, got.content) != (want.status_code, want.content):
                mismatches.append((name, want.text, got.text))
    shown = (f"{n}:\n--- jinja2\n{w}\n--- compiled\n{g}" for n, w, g in mismatches[:5])
    assert not mismatches, f"{len(mismatches)} of {len(names)} differ\n" + "\n\n".join(shown)


def exchange(server: RunningServer) -> list[tuple[str, int, bytes]]:
    """A visit: pages, a failed and a good login, the session across requests, a logout."""
    seen = []
    with server.client(follow_redirects=True) as c:
        steps: list[tuple[str, str, dict[str, str] | None]] = [
            ("GET", "/", None),
            ("GET", "/blog/", None),
            ("GET", "/blog/1", None),
            ("GET", "/blog/3", None),
            ("GET", "/blog/9", None),
            ("GET", "/nowhere?x=<b>", None),
            ("GET", "/login", None),
            ("POST", "/login", {"name": ""}),
            ("POST", "/login", {"name": "Ada <&>"}),
            ("GET", "/blog/", None),
            ("GET", "/blog/", None),
            ("POST", "/logout", {}),
            ("GET", "/", None),
        ]
        for method, path, form in steps:
            response = c.request(method, path, data=form)
            seen.append((f"{method} {path}", response.status_code, response.content))
    return seen


def test_same_answers_as_bustapi_run(built: RunningServer, reference: RunningServer) -> None:
    got, want = exchange(built), exchange(reference)
    for g, w in zip(got, want):
        assert g == w, f"{w[0]}:\n--- bustapi run\n{w[2].decode()}\n--- built\n{g[2].decode()}"
    assert b"Signed in as Ada &lt;&amp;&gt;" in want[9][2]
    assert b"Visit 2" in want[10][2]


def test_workers(build: tuple[Path, str]) -> None:
    server = RunningServer("", command=[str(build[0]), "--workers", "2"], cwd=SITE)
    try:
        pids = set()
        for _ in range(40):
            # A new connection each time: SO_REUSEPORT spreads connections, not requests.
            with server.client() as c:
                pids.add(c.get("/pid").text)
        assert len(pids) == 2, pids
    finally:
        out = server.stop()
    assert "restarting" not in out, out
