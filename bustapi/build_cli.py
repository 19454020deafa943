"""`bustapi build`: compile a Flask application into a Rust service.

The compiler crate (through `bustapi._core.generate_project`) reads the application from source
and writes a Cargo project; this command records the Python environment the binary will run in,
runs cargo with its progress shown, and prints the executable's path as its last line.

Exit codes: 0 built, 1 cargo failed (or is missing), 2 usage error or unreadable input.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import site
import subprocess
import sys
import time
import typing as t
from pathlib import Path

import click

_PACKAGE_DIR = Path(__file__).resolve().parent


def _runtime_dir() -> Path:
    """The `runtime` crate the generated project depends on by path: `BUSTAPI_RUNTIME_DIR`; the
    source checkout this package runs from (editable installs); else the engine sources embedded
    in the extension module, written once to the cache (a plain `pip install`)."""
    configured = os.environ.get("BUSTAPI_RUNTIME_DIR")
    if configured:
        candidate = Path(configured)
        if not (candidate / "Cargo.toml").is_file():
            raise click.UsageError(f"BUSTAPI_RUNTIME_DIR={configured} holds no Cargo.toml")
        return candidate.resolve()
    checkout = _PACKAGE_DIR.parent / "runtime"
    if (checkout / "Cargo.toml").is_file() and (checkout.parent / "pymodule").is_dir():
        return checkout.resolve()
    return _materialise_runtime()


def _materialise_runtime() -> Path:
    """Writes the embedded engine crate under `<cache>/runtime-<hash>/runtime` (content-addressed,
    so upgrades never mix sources and a second build reuses the directory — and with it cargo's
    compiled artefacts) and returns that path."""
    from . import _core

    files, lock = _core.runtime_sources()
    digest = hashlib.sha256()
    for rel, text in files:
        digest.update(rel.encode() + b"\0" + text.encode() + b"\0")
    base = _cache_dir() / f"runtime-{digest.hexdigest()[:16]}"
    crate = base / "runtime"
    if (crate / ".complete").is_file():
        return crate
    staging = base.with_name(base.name + f".tmp{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    for rel, text in files:
        path = staging / "runtime" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if lock is not None:
        (staging / "Cargo.lock").write_text(lock, encoding="utf-8")
    (staging / "runtime" / ".complete").touch()
    try:
        staging.rename(base)
    except OSError:
        # Another build wrote the same sources first: theirs are identical.
        shutil.rmtree(staging, ignore_errors=True)
    return crate


def _cache_dir() -> Path:
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(cache) / "bustapi"


def _target_dir() -> Path:
    """Shared by every build, so a rebuild compiles only the generated crate."""
    configured = os.environ.get("CARGO_TARGET_DIR")
    if configured:
        return Path(configured)
    return _cache_dir() / "target"


def _step(message: str) -> None:
    click.echo(f"bustapi build: {message}", err=True)


def _report_templates(templates: dict[str, t.Any], *, verbose: bool) -> None:
    """Coverage of the Jinja→askama translation; with `verbose` (`--emit templates`), each
    template's verdict on stdout, with the reasons of every fallback."""
    compiled: list[str] = templates["compiled"]
    fallback: list[dict[str, t.Any]] = templates["fallback"]
    total = len(compiled) + len(fallback)
    if total:
        _step(f"templates: {len(compiled)} of {total} compiled, {len(fallback)} left to Jinja2")
    if not verbose:
        for f in fallback:
            _step(f"note: {f['name']}: rendered by Jinja2 ({f['reasons'][0]})")
        return
    for name in compiled:
        click.echo(f"compiled  {name}")
    for f in fallback:
        click.echo(f"jinja2    {f['name']}")
        for reason in f["reasons"]:
            click.echo(f"            {reason}")


@click.command()
@click.argument("target", metavar="PATH_OR_MODULE")
@click.option(
    "-o",
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory of the generated Cargo project (required unless --emit routes/templates).",
)
@click.option("--release", is_flag=True, help="Build with optimisations (cargo --release).")
@click.option("--no-compile", is_flag=True, help="Generate the project without running cargo.")
@click.option(
    "--emit",
    type=click.Choice(["routes", "templates", "project"]),
    help="Print or write one part only: routes (routes.rs to stdout), templates, project.",
)
@click.option("--name", help="Name of the executable (default: from the entry file).")
def build(
    target: str,
    out: Path | None,
    release: bool,
    no_compile: bool,
    emit: str | None,
    name: str | None,
) -> None:
    """Compile a Flask application (file, package or MODULE:APP) into a Rust service."""
    from . import _core

    if out is None and emit not in ("routes", "templates"):
        raise click.UsageError("missing option -o/--out")
    runtime = _runtime_dir()
    options = {
        "name": name,
        "runtime": str(runtime),
        "python_home": sys.base_prefix,
        "python_executable": sys.executable,
        "site_dirs": [d for d in site.getsitepackages() if os.path.isdir(d)],
        "app_dir": os.getcwd(),
    }
    started = time.monotonic()
    out_dir = (out or Path(".")).resolve()
    kind = emit if emit in ("routes", "templates") else "project"
    try:
        summary = json.loads(
            _core.generate_project(target, os.getcwd(), str(out_dir), json.dumps(options), kind)
        )
    except OSError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(2)
    if emit == "routes":
        click.echo(summary["files"]["src/routes.rs"], nl=False)
        return
    if emit == "templates":
        _report_templates(summary["templates"], verbose=True)
        if out is not None:
            for rel, text in summary["files"].items():
                if rel.startswith("templates/") or rel in ("askama.toml", "src/templates.rs"):
                    path = out_dir / rel
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(text, encoding="utf-8")
            _step(f"wrote the translated templates under {out_dir}")
        return
    pending = f" ({summary['pending']} resolved at start-up)" if summary["pending"] else ""
    _step(f"{summary['app']}: {summary['routes']} routes{pending}")
    for note in summary["notes"]:
        _step(f"note: {note}")
    _report_templates(summary["templates"], verbose=False)
    written = len(summary["written"])
    _step(f"generated {out_dir} ({written} file{'s' if written != 1 else ''} changed)")
    lock = out_dir / "Cargo.lock"
    seed = runtime.parent / "Cargo.lock"
    if not lock.exists() and seed.is_file():
        # The engine's own pins: the same dependency versions, so compiled ones are reused.
        shutil.copyfile(seed, lock)
    if no_compile or emit == "project":
        return
    cargo = shutil.which("cargo")
    if cargo is None:
        click.echo("error: cargo not found on PATH (install Rust: https://rustup.rs)", err=True)
        sys.exit(1)
    target_dir = _target_dir()
    env = dict(os.environ, PYO3_PYTHON=sys.executable, CARGO_TARGET_DIR=str(target_dir))
    env.pop("PYO3_BUILD_EXTENSION_MODULE", None)
    cmd = [cargo, "build", "--manifest-path", str(out_dir / "Cargo.toml")]
    if release:
        cmd.append("--release")
    _step(f"cargo build{' --release' if release else ''} (target dir {target_dir})")
    result = subprocess.run(cmd, env=env)
    if result.returncode != 0:
        click.echo(f"error: cargo build failed (exit status {result.returncode})", err=True)
        sys.exit(1)
    exe = target_dir / ("release" if release else "debug") / summary["name"]
    _step(f"built in {time.monotonic() - started:.1f}s")
    click.echo(str(exe))
