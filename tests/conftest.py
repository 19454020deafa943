"""Real-server fixtures: `bustapi run` in a subprocess on a free 127.0.0.1 port, talked to over
HTTP with httpx (and curl/raw sockets where a test needs bytes httpx would not send)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import typing as t
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RunningServer:
    """A `bustapi run` process (or `command`, e.g. a built service, taking the same flags). `url`
    is its base URL; `stop()` sends SIGTERM and waits."""

    def __init__(
        self,
        target: str,
        *extra: str,
        port: int | None = None,
        command: list[str] | None = None,
        cwd: Path | None = None,
    ) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        if command is None:
            command = [sys.executable, "-m", "bustapi", "run", target]
        self.proc = subprocess.Popen(
            [*command, "--port", str(self.port), *extra],
            cwd=cwd or ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.wait_ready()

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                out = self.proc.stdout.read().decode() if self.proc.stdout else ""
                raise RuntimeError(f"server exited ({self.proc.returncode}):\n{out}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise TimeoutError(f"server on {self.port} did not start")

    def client(self, **kwargs: t.Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=10.0, **kwargs)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30.0) -> str:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            out, _ = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, _ = self.proc.communicate()
        return out.decode(errors="replace") if out else ""


@pytest.fixture(scope="session")
def kitchen() -> t.Iterator[RunningServer]:
    server = RunningServer("tests.apps.kitchen:app")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def plain() -> t.Iterator[RunningServer]:
    server = RunningServer("tests.apps.plain:app")
    yield server
    server.stop()


@pytest.fixture
def client(kitchen: RunningServer) -> t.Iterator[httpx.Client]:
    with kitchen.client() as c:
        yield c


def raw_exchange(port: int, data: bytes, timeout: float = 5.0) -> bytes:
    """Send raw bytes, read until the server closes or goes quiet."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        chunks = []
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        except socket.timeout:
            pass
        return b"".join(chunks)
