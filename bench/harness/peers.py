"""The servers under test: how to install each one and the command line that serves the apps.

Every server runs as one process (plus, for gunicorn and Granian, their idle supervisor), pinned to
one core by `run.py`; the load generator runs on the other core.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

BENCH = Path(__file__).resolve().parent.parent
ROOT = BENCH.parent
APPS = BENCH / "apps"
REQUIREMENTS = BENCH / "requirements"
VENVS = BENCH / ".venvs"

ALL_ENDPOINTS = ("text", "json", "user", "echo", "page")


@dataclass(frozen=True)
class Launch:
    """A server command line, where to run it and the extra environment it needs."""

    argv: list[str]
    cwd: Path
    env: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Settings:
    host: str
    port: int
    threads: int
    engine_venv: Path


@dataclass(frozen=True)
class Peer:
    name: str
    title: str
    # A file in bench/requirements/ installed into bench/.venvs/<name>; None: the repo's .venv.
    requirements: str | None
    launch: Callable[[Path, Settings], Launch]
    endpoints: tuple[str, ...] = ALL_ENDPOINTS
    # Packages whose installed versions go into the results.
    packages: tuple[str, ...] = ()
    # Installed best-effort after `requirements` (a failure here does not fail the peer).
    optional: str | None = None

    def venv(self, s: Settings) -> Path:
        return s.engine_venv if self.requirements is None else VENVS / self.name


def _bustapi(venv: Path, s: Settings) -> Launch:
    argv = [str(venv / "bin" / "bustapi"), "run", "bench.apps.flask_app:app"]
    argv += ["--host", s.host, "--port", str(s.port), "--threads", str(s.threads)]
    return Launch(argv, ROOT)


BUILT = BENCH / ".build"


def built_binary(venv: Path, app_file: str = "flask_app.py", name: str = "bench-flask-app") -> Path:
    """`bustapi build --release` of `apps/<app_file>` (its templates compiled, `apps/flask_app.py`
    unless told), done before the first run; later runs rebuild only if the app changed (cargo
    decides)."""
    import subprocess
    import sys

    out = BUILT / app_file.removesuffix(".py")
    cmd = [str(venv / "bin" / "bustapi"), "build", app_file, "-o", str(out)]
    cmd += ["--release", "--name", name]
    print(f"bench: building apps/{app_file} with bustapi build --release", file=sys.stderr)
    result = subprocess.run(cmd, cwd=APPS, stdout=subprocess.PIPE, text=True, check=True)
    return Path(result.stdout.strip().splitlines()[-1])


def _built(venv: Path, s: Settings) -> Launch:
    argv = [str(built_binary(venv)), "--host", s.host, "--port", str(s.port)]
    return Launch(argv + ["--threads", str(s.threads)], APPS)


def _floor(venv: Path, s: Settings) -> Launch:
    return Launch([str(venv / "bin" / "python"), str(APPS / "floor.py"), s.host, str(s.port)], ROOT)


def _gunicorn(venv: Path, s: Settings) -> Launch:
    argv = [str(venv / "bin" / "gunicorn"), "--workers", "1", "--worker-class", "sync"]
    argv += ["--bind", f"{s.host}:{s.port}", "--log-level", "warning", "flask_app:app"]
    return Launch(argv, APPS)


def _granian(venv: Path, s: Settings) -> Launch:
    # One worker process, one Rust runtime thread, 4 Python blocking threads, HTTP/1 only: the
    # fastest of the settings tried here (1/2/4/8 blocking threads x 1/2 runtime threads, st/mt
    # runtime, defaults); 4 threads took ~15% less CPU per request than 1. See bench/README.md.
    argv = [str(venv / "bin" / "granian"), "--interface", "wsgi", "--host", s.host]
    argv += ["--port", str(s.port), "--workers", "1", "--runtime-threads", "1"]
    argv += ["--blocking-threads", "4", "--http", "1", "--no-ws", "--log-level", "warning"]
    return Launch(argv + ["flask_app:app"], APPS)


def _robyn(venv: Path, s: Settings) -> Launch:
    argv = [str(venv / "bin" / "python"), "robyn_app.py", "--processes", "1", "--workers", "1"]
    argv += ["--log-level", "WARNING", "--disable-openapi"]
    return Launch(argv, APPS, {"ROBYN_HOST": s.host, "ROBYN_PORT": str(s.port)})


def _fastapi(venv: Path, s: Settings) -> Launch:
    # --loop/--http auto pick uvloop and httptools when they are installed.
    argv = [str(venv / "bin" / "uvicorn"), "fastapi_app:app", "--host", s.host]
    argv += ["--port", str(s.port), "--workers", "1", "--loop", "auto", "--http", "auto"]
    argv += ["--no-access-log", "--log-level", "warning"]
    return Launch(argv, APPS)


def _bustapi015(venv: Path, s: Settings) -> Launch:
    return Launch([str(venv / "bin" / "python"), "bustapi015_app.py", s.host, str(s.port)], APPS)


PEERS: tuple[Peer, ...] = (
    Peer("bustapi", "BustAPI (this repo)", None, _bustapi, packages=("bustapi", "flask")),
    Peer("built", "BustAPI built (bustapi build --release)", None, _built, packages=("bustapi",)),
    Peer("floor", "floor: bare callback on our server", None, _floor, ("text",), ("bustapi",)),
    Peer(
        "gunicorn",
        "Flask + gunicorn (sync, 1 worker)",
        "gunicorn.txt",
        _gunicorn,
        packages=("flask", "gunicorn"),
    ),
    Peer(
        "granian", "Flask on Granian (WSGI)", "granian.txt", _granian, packages=("flask", "granian")
    ),
    Peer("robyn", "Robyn", "robyn.txt", _robyn, packages=("robyn", "jinja2")),
    Peer(
        "fastapi",
        "FastAPI + uvicorn",
        "fastapi.txt",
        _fastapi,
        packages=("fastapi", "uvicorn", "uvloop", "httptools", "jinja2"),
        optional="fastapi-speedups.txt",
    ),
    Peer(
        "bustapi015",
        "PyPI bustapi 0.15 (unrelated)",
        "bustapi015.txt",
        _bustapi015,
        packages=("bustapi", "jinja2"),
    ),
)
BY_NAME = {p.name: p for p in PEERS}
OURS = "bustapi"
FLOOR = "floor"


def select(spec: str | None) -> list[Peer]:
    if not spec:
        return list(PEERS)
    names = [n.strip() for n in spec.split(",") if n.strip()]
    unknown = [n for n in names if n not in BY_NAME]
    if unknown:
        raise SystemExit(f"unknown peer(s) {', '.join(unknown)}; choose from {', '.join(BY_NAME)}")
    return [p for p in PEERS if p.name in names]
