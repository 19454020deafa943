"""Per-peer virtualenvs under bench/.venvs/<peer>, installed from the pins in bench/requirements/.

A venv is reinstalled only when its requirement files change (a hash is stamped inside it). uv is
used when it is on PATH, pip otherwise. Failures come back as a reason string, never an exception.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

from .peers import REQUIREMENTS, Peer, Settings

STAMP = ".bench-installed"
INSTALL_TIMEOUT = 900


def _tail(text: str, lines: int = 6) -> str:
    kept = [line for line in text.strip().splitlines() if line.strip()]
    return " | ".join(kept[-lines:])


def _run(argv: list[str]) -> str | None:
    """Run an install step; None when it worked, else the tail of its output."""
    try:
        done = subprocess.run(
            argv, capture_output=True, text=True, timeout=INSTALL_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{argv[0]}: {exc}"
    return None if done.returncode == 0 else _tail(done.stdout + "\n" + done.stderr)


def _install_cmd(venv: Path, req: Path) -> list[str]:
    uv = shutil.which("uv")
    if uv:
        python = str(venv / "bin" / "python")
        return [uv, "pip", "install", "--quiet", "--python", python, "-r", str(req)]
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    return pip + ["--disable-pip-version-check", "-r", str(req)]


def _digest(peer: Peer) -> str:
    h = hashlib.sha256()
    for name in (peer.requirements, peer.optional):
        if name:
            h.update((REQUIREMENTS / name).read_bytes())
    return h.hexdigest()


def ensure(peer: Peer, s: Settings, reinstall: bool, log: list[str]) -> str | None:
    """Make the peer's venv ready; None when ready, else why not (the row will say so)."""
    venv = peer.venv(s)
    if peer.requirements is None:
        if not (venv / "bin" / "python").exists():
            return f"no virtualenv at {venv}: run `make develop` first"
        return None
    stamp = venv / STAMP
    digest = _digest(peer)
    if not reinstall and stamp.exists() and stamp.read_text() == digest:
        return None
    if venv.exists():
        shutil.rmtree(venv)
    uv = shutil.which("uv")
    create = [uv, "venv", "--quiet", "--python", sys.executable, str(venv)] if uv else None
    err = _run(create) if create else _run([sys.executable, "-m", "venv", str(venv)])
    if err:
        return f"could not create venv: {err}"
    err = _run(_install_cmd(venv, REQUIREMENTS / peer.requirements))
    if err:
        return f"install of {peer.requirements} failed: {err}"
    if peer.optional:
        err = _run(_install_cmd(venv, REQUIREMENTS / peer.optional))
        if err:
            log.append(f"{peer.name}: optional {peer.optional} not installed ({err})")
    stamp.write_text(digest)
    return None


def versions(peer: Peer, s: Settings) -> dict[str, str]:
    """Installed versions of the peer's main packages (missing ones are left out)."""
    code = (
        "import importlib.metadata as m, json, sys\n"
        "out = {}\n"
        "for n in sys.argv[1:]:\n"
        "    try: out[n] = m.version(n)\n"
        "    except m.PackageNotFoundError: pass\n"
        "print(json.dumps(out))\n"
    )
    python = peer.venv(s) / "bin" / "python"
    try:
        done = subprocess.run(
            [str(python), "-c", code, *peer.packages], capture_output=True, text=True, timeout=60
        )
        found: dict[str, str] = json.loads(done.stdout)
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return {}
    return found
