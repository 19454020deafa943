"""`bustapi run`: app discovery, factories, signals, workers, Unix sockets, access log."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import httpx
import pytest

from .conftest import ROOT, RunningServer, free_port


def test_factory_call() -> None:
    server = RunningServer("tests.apps.factory:create_app('hi there')")
    try:
        with server.client() as c:
            assert c.get("/").text == "hi there"
    finally:
        server.stop()


def test_discovers_app_in_current_directory(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(
        textwrap.dedent(
            """
            from flask import Flask
            app = Flask(__name__)

            @app.get("/")
            def index():
                return type(app).__name__
            """
        )
    )
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bustapi", "run", "--port", str(port)],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                assert httpx.get(f"http://127.0.0.1:{port}/").text == "BustAPI"
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.1)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=20)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_finishes_in_flight_requests(sig: int) -> None:
    server = RunningServer("tests.apps.kitchen:app")
    result: dict[str, object] = {}

    def slow() -> None:
        result["r"] = httpx.get(f"{server.url}/sleep?s=1", timeout=10).text

    t = threading.Thread(target=slow)
    t.start()
    time.sleep(0.3)
    server.proc.send_signal(sig)
    t.join(10)
    assert result["r"] == "slept"
    server.proc.wait(10)
    server.stop()
    assert server.proc.returncode == 0
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{server.url}/", timeout=1)


def test_unix_socket(tmp_path: Path) -> None:
    path = tmp_path / "s.sock"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bustapi",
            "run",
            "tests.apps.kitchen:app",
            "--unix-socket",
            str(path),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while not path.exists():
            assert time.monotonic() < deadline
            time.sleep(0.05)
        with httpx.Client(transport=httpx.HTTPTransport(uds=str(path)), base_url="http://x") as c:
            assert c.get("/").text == "Hello, World!"
            assert c.get("/request").json()["remote_addr"] is None
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=20)
    assert not path.exists()


def test_access_log() -> None:
    server = RunningServer("tests.apps.kitchen:app", "--access-log")
    with server.client() as c:
        c.get("/user/7?q=1")
    out = server.stop()
    assert '"GET /user/7?q=1 HTTP/1.1" 200' in out


def test_workers_share_the_port_and_are_restarted() -> None:
    server = RunningServer("tests.apps.kitchen:app", "--workers", "2")
    try:
        time.sleep(1.0)
        children = _children(server.proc.pid)
        assert len(children) == 2
        with server.client() as c:
            assert all(c.get("/").status_code == 200 for _ in range(20))
        os.kill(children[0], signal.SIGKILL)
        deadline = time.monotonic() + 20
        while True:
            now = _children(server.proc.pid)
            if len(now) == 2 and children[0] not in now:
                break
            assert time.monotonic() < deadline, now
            time.sleep(0.1)
        with httpx.Client(base_url=server.url) as c:
            assert all(c.get("/").status_code == 200 for _ in range(20))
    finally:
        assert server.stop() is not None
    assert server.proc.returncode == 0


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


def test_app_run_uses_the_engine(tmp_path: Path) -> None:
    port = free_port()
    script = tmp_path / "runner.py"
    script.write_text(
        textwrap.dedent(
            f"""
            from bustapi import BustAPI
            app = BustAPI(__name__)

            @app.get("/")
            def index():
                return "run"

            app.run(port={port})
            """
        )
    )
    proc = subprocess.Popen(
        [sys.executable, str(script)],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/")
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert r.text == "run"
        assert "werkzeug" not in r.headers.get("server", "").lower()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=20)
    assert proc.returncode == 0
