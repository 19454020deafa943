"""The engine with curl as the client (HTTP/1.1 and HTTP/2 cleartext)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from .conftest import RunningServer

pytestmark = pytest.mark.skipif(shutil.which("curl") is None, reason="curl not installed")


def curl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["curl", "-sS", *args], capture_output=True, text=True, timeout=30)


def test_get_post_head(kitchen: RunningServer) -> None:
    assert curl(f"{kitchen.url}/").stdout == "Hello, World!"
    out = curl(
        "-X",
        "POST",
        "-H",
        "Content-Type: application/json",
        "-d",
        '{"k": [1]}',
        f"{kitchen.url}/echo",
    )
    assert json.loads(out.stdout) == {"k": [1]}
    head = curl("-I", f"{kitchen.url}/")
    assert head.stdout.startswith("HTTP/1.1 200")
    assert "content-length: 13" in head.stdout.lower()


def test_http2_prior_knowledge(kitchen: RunningServer) -> None:
    out = curl(
        "--http2-prior-knowledge", "-o", "/dev/null", "-w", "%{http_version}", f"{kitchen.url}/json"
    )
    if "not support" in out.stderr.lower() or out.returncode == 1:
        pytest.skip("curl without HTTP/2")
    assert out.stdout == "2"


def test_form_upload(kitchen: RunningServer, tmp_path: object) -> None:
    out = curl(
        "-F",
        "name=v",
        "-F",
        "up=@tests/apps/static/hello.txt;type=text/plain",
        f"{kitchen.url}/form",
    )
    assert json.loads(out.stdout) == {
        "form": {"name": ["v"]},
        "files": {"up": {"filename": "hello.txt", "size": 13, "type": "text/plain"}},
    }
