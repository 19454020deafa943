"""Run Flask's and the extensions' own test suites on real Flask and on BustAPI (`make compat`).

For each suite of compat/suites.toml: download its sdist from PyPI into compat/.work/, build its
virtualenv under compat/.work/venvs/ (the pins, installed --no-deps, plus this repository's
`bustapi`), then run its tests with pytest once per mode:

- ``flask``: real Flask, the baseline;
- ``bustapi``: `bustapi.flask_patch` active (every `flask.Flask` is a `BustAPI`), in-process test
  client (WSGI entry -> engine dispatch);
- ``http``: the same, with ``BUSTAPI_TEST_TRANSPORT=http``: test-client requests travel over a real
  socket to a server on 127.0.0.1 (`bustapi.serving`, or Werkzeug's dev server as a stand-in
  while the engine's server is not there — the results say which);
- ``engine`` (not run by default): ``bustapi`` with Flask's own ``Flask.wsgi_app`` and
  ``Flask.full_dispatch_request`` replaced by functions that raise.

How `bustapi` gets into the suite venvs: the venv holds a ``.pth`` naming compat/.work/pkgroot/,
which holds only a symlink ``bustapi -> <repo>/bustapi``. `make develop` (`maturin develop`) puts
the compiled ``bustapi/_core*.so`` into that directory, so the suites always run the working tree
as built, without reinstalling, and without the rest of the repo (its ``tests/`` package…) on
``sys.path``. The plugin that activates the patch (compat/plugin/) is loaded with ``-p`` from
``PYTHONPATH``; no file of any suite is edited.

Each test is time-boxed by pytest-timeout; each suite runs in its own process group, killed as a
whole if the suite overruns. Results: one line per suite and mode, compat/.work/results.json
(merged with earlier runs for suites/modes not run now), compat/.work/differences.md (tests that
pass on Flask but not on BustAPI, with the failure message), logs in compat/.work/logs/.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tarfile
import time
from pathlib import Path

from results import Document, ModeResult, SuiteResult, count, lost, of_baseline, parse_junit
from suites import Suite, load_suites

ROOT = Path(__file__).resolve().parent.parent
COMPAT = ROOT / "compat"
WORK = COMPAT / ".work"
RESULTS = WORK / "results.json"
DIFFERENCES = WORK / "differences.md"
MODES = ("flask", "bustapi", "http", "engine")
DEFAULT_MODES = ("flask", "bustapi", "http")


def sh(*cmd: str) -> None:
    subprocess.run(cmd, check=True)


def fetch_sdist(suite: Suite) -> Path:
    """Download and unpack the suite's sdist once; return the suite's root directory in it."""
    sdists = WORK / "sdist" / suite.sdist
    if not list(sdists.glob("*.tar.gz")):
        sh(
            sys.executable,
            "-m",
            "pip",
            "download",
            "-q",
            "--no-deps",
            "--no-binary",
            ":all:",
            "--dest",
            str(sdists),
            suite.sdist,
        )
    (archive,) = sdists.glob("*.tar.gz")
    top = WORK / "src" / archive.name.removesuffix(".tar.gz")
    if not top.exists():
        with tarfile.open(archive) as tar:
            tar.extractall(top.parent, filter="data")
    return top / suite.dir


def ensure_venv(suite: Suite) -> Path:
    """The suite's virtualenv, (re)built when its pins change, with `bustapi` linked in."""
    venv = WORK / "venvs" / suite.name
    marker = venv / ".pins"
    pins = "\n".join(suite.requirements) + "\n"
    if not (marker.exists() and marker.read_text() == pins):
        sh(sys.executable, "-m", "venv", "--clear", str(venv))
        py = str(venv / "bin" / "python")
        sh(py, "-m", "pip", "install", "-q", "--no-deps", *suite.requirements)
        sh(py, "-m", "pip", "check")
        marker.write_text(pins)
    pkgroot = WORK / "pkgroot"
    pkgroot.mkdir(parents=True, exist_ok=True)
    link = pkgroot / "bustapi"
    if not link.is_symlink():
        link.symlink_to(ROOT / "bustapi", target_is_directory=True)
    site_packages = next((venv / "lib").glob("python3*/site-packages"))
    (site_packages / "bustapi-repo.pth").write_text(f"{pkgroot}\n")
    return venv


def has_pytest_config(root: Path) -> bool:
    """Whether pytest finds its configuration in the suite's root directory."""
    for name, marker in (
        ("pytest.ini", ""),
        (".pytest.ini", ""),
        ("pyproject.toml", "[tool.pytest"),
        ("tox.ini", "[pytest]"),
        ("setup.cfg", "[tool:pytest]"),
    ):
        path = root / name
        if path.exists() and marker in path.read_text(errors="replace"):
            return True
    return False


def engine_server_available(venv: Path) -> bool:
    probe = "import bustapi.serving as s; assert hasattr(s, 'start_background')"
    python = str(venv / "bin" / "python")
    return subprocess.run([python, "-c", probe], capture_output=True).returncode == 0


def pytest_command(
    suite: Suite, mode: str, root: Path, venv: Path, junit: Path, timeout: int
) -> list[str]:
    cmd = [
        str(venv / "bin" / "python"),
        "-m",
        "pytest",
        *suite.tests,
        "-p",
        "no:cacheprovider",
        f"--junitxml={junit}",
        f"--timeout={timeout}",
        "-q",
        "-rN",
        "--color=no",
    ]
    if not has_pytest_config(root):
        # Else pytest climbs to this repository's pyproject.toml and applies *our* settings.
        empty = WORK / "empty-pytest.ini"
        empty.write_text("[pytest]\n")
        cmd += ["-c", str(empty), f"--rootdir={root}"]
    for path in suite.pythonpath:
        cmd += ["-o", f"pythonpath={path}"]
    if mode != "flask":
        cmd += ["-p", "bustapi_compat"]
    return cmd


def suite_env(mode: str, venv: Path, stats: Path, server: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("BUSTAPI_", "FLASK_", "PYTHON", "VIRTUAL_ENV", "PYTEST_"))
    }
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    if mode != "flask":
        env["PYTHONPATH"] = str(COMPAT / "plugin")
        env["BUSTAPI_COMPAT_STATS"] = str(stats)
        env["BUSTAPI_TEST_SERVER"] = server
    if mode == "http":
        env["BUSTAPI_TEST_TRANSPORT"] = "http"
    if mode == "engine":
        env["BUSTAPI_COMPAT_ENGINE_ONLY"] = "1"
    return env


def run_suite(
    suite: Suite, mode: str, root: Path, venv: Path, args: argparse.Namespace, server: str
) -> ModeResult:
    """Run one suite in one mode in its own process group; return its result."""
    tag = f"{suite.name}-{mode}"
    junit, stats, log = (
        WORK / d / f"{tag}.{e}" for d, e in (("junit", "xml"), ("stats", "json"), ("logs", "log"))
    )
    for path in (junit, stats, log):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
    cmd = pytest_command(suite, mode, root, venv, junit, args.timeout)
    env = suite_env(mode, venv, stats, server)

    start = time.monotonic()
    timed_out = False
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            cmd,
            cwd=root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            returncode = proc.wait(timeout=args.suite_timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            kill_group(proc)
            returncode = proc.wait()
        except BaseException:  # Ctrl-C or SIGTERM of this script: leave no suite running
            kill_group(proc)
            raise
    outcomes = parse_junit(junit) if junit.exists() else {}
    result = ModeResult(
        returncode=returncode,
        timed_out=timed_out,
        duration_s=round(time.monotonic() - start, 1),
        counts=count(outcomes),
        outcomes=outcomes,
        log=str(log.relative_to(ROOT)),
    )
    if stats.exists():
        result["transport"] = json.loads(stats.read_text())
    return result


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Stop the suite's whole process group: SIGTERM, then SIGKILL after 10 s."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=10)
            return
        except subprocess.TimeoutExpired:
            continue


def summary(name: str, mode: str, result: ModeResult, modes: dict[str, ModeResult]) -> str:
    c = result["counts"]
    line = (
        f"{name:<19} {mode:<8} passed {c['passed']:>4}  failed {c['failed']:>4}  "
        f"skipped {c['skipped']:>3}  errors {c['errors']:>3}"
    )
    if mode != "flask":
        pct = of_baseline(modes, mode)
        line += f"  {'-' if pct is None else f'{pct:.2f}':>6}% of baseline"
    requests = result.get("transport", {}).get("requests", {})
    if mode == "http":
        kept = sum(n for k, n in requests.items() if k.startswith("in-process:"))
        line += f"  [{result['transport']['server']} server; {requests.get('http', 0)} requests "
        line += f"over HTTP, {kept} in-process]"
    if result["timed_out"]:
        line += "  TIMED OUT (killed)"
    if not result["outcomes"]:
        line += f"  NO RESULTS (exit {result['returncode']}, see {result['log']})"
    return f"{line}  ({result['duration_s']}s)"


def write_differences(suites: dict[str, SuiteResult]) -> int:
    lines = [
        "# Tests passing on Flask but not on BustAPI",
        "",
        "Written by compat/run.py: per suite and mode, each test with its outcome and message.",
        "",
    ]
    total = 0
    for name, suite in sorted(suites.items()):
        modes = suite["modes"]
        for mode in sorted(m for m in modes if m != "flask"):
            tests = lost(modes, mode)
            total += len(tests)
            lines += [f"## {name} · {mode}: {len(tests)}", ""]
            outcomes = modes[mode]["outcomes"]
            for test in tests:
                outcome, message = outcomes.get(test, ("missing", "not run"))
                lines.append(f"- `{test}` — {outcome}: {message}".rstrip())
            lines.append("")
    DIFFERENCES.write_text("\n".join(lines))
    return total


def document(suites: dict[str, SuiteResult]) -> Document:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    for suite in suites.values():
        for mode, result in suite["modes"].items():
            if mode != "flask":
                result["of_baseline_pct"] = of_baseline(suite["modes"], mode)
    return Document(
        generated=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        commit=commit,
        python=sys.version.split()[0],
        suites=suites,
    )


def _terminate(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--suite", action="append", help="suite name (repeatable; default: all)")
    parser.add_argument(
        "--mode",
        action="append",
        choices=MODES,
        help=f"mode (repeatable; default: {', '.join(DEFAULT_MODES)})",
    )
    parser.add_argument("--timeout", type=int, default=10, help="seconds per test (default 10)")
    parser.add_argument(
        "--suite-timeout",
        type=int,
        default=1800,
        help="seconds per suite and mode before its process group is killed",
    )
    parser.add_argument(
        "--server",
        choices=("auto", "engine", "werkzeug"),
        default="auto",
        help="server for the http mode (auto: the engine's if it exists)",
    )
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, _terminate)

    suites = load_suites(COMPAT / "suites.toml")
    wanted = args.suite or [s.name for s in suites]
    unknown = set(wanted) - {s.name for s in suites}
    if unknown:
        parser.error(f"unknown suite(s): {', '.join(sorted(unknown))}")
    modes: list[str] = args.mode or list(DEFAULT_MODES)

    previous: Document | None = json.loads(RESULTS.read_text()) if RESULTS.exists() else None
    results: dict[str, SuiteResult] = previous["suites"] if previous else {}
    started = time.monotonic()
    broken = 0
    for suite in (s for s in suites if s.name in wanted):
        root = fetch_sdist(suite)
        venv = ensure_venv(suite)
        server = args.server
        if server == "auto":
            server = "engine" if engine_server_available(venv) else "werkzeug"
        entry = results.setdefault(
            suite.name, SuiteResult(title=suite.title, version=suite.version, modes={})
        )
        entry["title"], entry["version"] = suite.title, suite.version
        for mode in modes:
            result = run_suite(suite, mode, root, venv, args, server)
            entry["modes"][mode] = result
            broken += not result["outcomes"]
            print(summary(suite.name, mode, result, entry["modes"]), flush=True)
            RESULTS.write_text(json.dumps(document(results), indent=1, sort_keys=True))
    total = write_differences(results)
    print(
        f"{time.monotonic() - started:.0f}s; {total} baseline passes lost, listed in "
        f"{DIFFERENCES.relative_to(ROOT)}; results in {RESULTS.relative_to(ROOT)}"
    )
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
