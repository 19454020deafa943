"""Write docs/compatibility.md from compat/.work/results.json (`make compat` runs it after run.py).

The matrix is regenerated; the hand-kept part between the ``known-differences`` markers is
carried over from the existing file unchanged.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from results import Document, ModeResult, of_baseline, passed

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "compat" / ".work" / "results.json"
DOC = ROOT / "docs" / "compatibility.md"
START = "<!-- known-differences:start (kept by compat/report.py; edit freely) -->"
END = "<!-- known-differences:end -->"
ORDER = ["flask", "flaskr", "flask-cors", "flask-login", "flask-sqlalchemy", "flask-jwt-extended"]

DEFAULT_KNOWN = """
None recorded yet. Each test that is left failing on BustAPI is listed here with the reason: only
tests tied to an implementation detail no user can observe over HTTP or through the public API.

| suite | test | mode | why it differs |
|---|---|---|---|
"""


def cell(modes: dict[str, ModeResult], mode: str) -> str:
    result = modes.get(mode)
    if result is None:
        return "not run"
    passed = result["counts"]["passed"]
    if mode == "flask":
        c = result["counts"]
        return f"{passed} / {c['passed'] + c['failed'] + c['skipped'] + c['errors']}"
    pct = of_baseline(modes, mode)
    text = f"{passed} ({pct:.1f}%)" if pct is not None else str(passed)
    return text + (" ⚠ timed out" if result["timed_out"] else "")


def transport_note(modes: dict[str, ModeResult]) -> str:
    http = modes.get("http")
    if not http or "transport" not in http:
        return ""
    requests = http["transport"]["requests"]
    over = requests.get("http", 0)
    kept = sum(n for k, n in requests.items() if k.startswith("in-process:"))
    return f"{over} / {over + kept}" if over + kept else "— (no test-client requests)"


def render(doc: Document, known: str) -> str:
    suites = doc["suites"]
    names = sorted(suites, key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n))
    servers = {
        r["transport"]["server"]
        for s in suites.values()
        for m, r in s["modes"].items()
        if m == "http" and "transport" in r
    }
    lines = [
        "# Compatibility with Flask and its extensions",
        "",
        "BustAPI runs the test suites of Flask and of the extensions people use, unchanged, with",
        "every `flask.Flask` replaced by `bustapi.BustAPI` (`bustapi.flask_patch`). `make compat`",
        "downloads the pinned source distributions (compat/suites.toml), runs each suite on real",
        "Flask (the baseline) and on BustAPI, and regenerates this page.",
        "",
        "- **Passed on Flask**: tests passing on real Flask / tests collected.",
        "- **BustAPI, test client**: tests passing with the test client entering the engine",
        "  in-process; in brackets, the share of the Flask-passing tests that also pass.",
        "- **BustAPI, HTTP**: the same with `BUSTAPI_TEST_TRANSPORT=http`: each test-client",
        "  request carried over a real socket to a server on 127.0.0.1 (`bustapi.testing`).",
        "- **Requests over HTTP**: in HTTP mode, requests that travelled over the socket / all",
        "  requests; the rest cannot travel faithfully and stay in-process (`bustapi.testing`).",
        "",
        "| Suite | Version | Passed on Flask | BustAPI, test client | BustAPI, HTTP "
        "| Requests over HTTP |",
        "|---|---|---|---|---|---|",
    ]
    for name in names:
        suite = suites[name]
        modes = suite["modes"]
        lines.append(
            f"| {suite['title']} | {suite['version']} | {cell(modes, 'flask')} "
            f"| {cell(modes, 'bustapi')} | {cell(modes, 'http')} | {transport_note(modes)} |"
        )
    lines += [
        "",
        f"Generated from the run of {doc['generated']} at commit `{doc['commit']}`, "
        f"Python {doc['python']}.",
    ]
    engine = []
    for n in names:
        modes = suites[n]["modes"]
        if "engine" in modes and "bustapi" in modes:
            same = passed(modes["engine"]) == passed(modes["bustapi"])
            engine.append(f"{suites[n]['title']} {'same' if same else 'DIFFERENT'}")
    if engine:
        lines += [
            "",
            "Engine check (`compat/run.py --mode engine`): with Flask's own `Flask.wsgi_app` "
            "and `Flask.full_dispatch_request` replaced by functions that raise, the same "
            "tests must pass as through the test client, or the suites are not testing the "
            "engine: " + ", ".join(engine) + ".",
        ]
    if "werkzeug" in servers:
        lines += [
            "",
            "**Note:** the HTTP column was measured with Werkzeug's development server "
            "standing in for the engine's (`BUSTAPI_TEST_SERVER=werkzeug`): it proves the "
            "transport, not the engine's server.",
        ]
    lines += ["", "## Known differences", "", START, known.strip("\n"), END, ""]
    return "\n".join(lines)


def main() -> int:
    if not RESULTS.exists():
        print(f"no results: run compat/run.py first ({RESULTS})", file=sys.stderr)
        return 1
    doc: Document = json.loads(RESULTS.read_text())
    known = DEFAULT_KNOWN
    if DOC.exists():
        text = DOC.read_text()
        if START in text and END in text:
            known = text.split(START, 1)[1].split(END, 1)[0]
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(render(doc, known))
    print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
