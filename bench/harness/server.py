"""Start a server pinned to a core, wait for its port, probe it, read its CPU time, stop it.

Only processes this harness started are signalled, each by its own PID: the server, then any
descendants it forked (gunicorn's and Granian's workers) that outlive it.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

from .endpoints import Endpoint
from .peers import Launch

CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        port: int = s.getsockname()[1]
        return port


def start(launch: Launch, cpu: int | None, log_path: Path) -> subprocess.Popen[bytes]:
    argv = (["taskset", "-c", str(cpu)] if cpu is not None else []) + launch.argv
    env = {**os.environ, **launch.env, "PYTHONUNBUFFERED": "1"}
    env.pop("VIRTUAL_ENV", None)
    with open(log_path, "wb") as log:
        # taskset execs the command, so the PID is the server's own.
        return subprocess.Popen(
            argv, cwd=launch.cwd, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log
        )


def log_tail(log_path: Path, lines: int = 4) -> str:
    try:
        text = log_path.read_text(errors="replace")
    except OSError:
        return ""
    kept = [line.strip() for line in text.splitlines() if line.strip()]
    return " | ".join(kept[-lines:])


def wait_port(proc: subprocess.Popen[bytes], host: str, port: int, timeout: float) -> str | None:
    """None once the port accepts connections; else why it never did."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        code = proc.poll()
        if code is not None:
            return f"server exited with status {code} before listening"
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return None
        except OSError:
            time.sleep(0.1)
    return f"port {port} not open after {timeout:.0f}s"


def probe(host: str, port: int, ep: Endpoint) -> str | None:
    """One request; None when the answer is 200 with the expected body, else what was wrong."""
    conn = http.client.HTTPConnection(host, port, timeout=10)
    headers = {"Content-Type": ep.content_type} if ep.content_type else {}
    try:
        conn.request(ep.method, ep.path, body=ep.body, headers=headers)
        resp = conn.getresponse()
        body = resp.read()
    except (OSError, http.client.HTTPException) as exc:
        return f"{ep.label}: request failed: {exc!r}"
    finally:
        conn.close()
    if resp.status != 200:
        return f"{ep.label}: status {resp.status}, body {body[:120]!r}"
    wrong = ep.check(body)
    return f"{ep.label}: wrong answer: {wrong}" if wrong else None


def _stat(pid: int) -> tuple[int, int, int] | None:
    """(ppid, utime+stime ticks, start time) of a live process."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rfind(")") + 2 :].split()
    return int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[19])


def tree(pid: int) -> list[int]:
    """pid and all its live descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            st = _stat(int(entry))
            if st:
                children.setdefault(st[0], []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the server's process tree, in seconds."""
    ticks = sum(st[1] for p in tree(pid) if (st := _stat(p)))
    return ticks / CLK_TCK


def core_busy_seconds(cpu: int) -> float:
    """Busy (non-idle) time of one core since boot, from /proc/stat, in seconds."""
    for line in Path("/proc/stat").read_text().splitlines():
        if line.startswith(f"cpu{cpu} "):
            ticks = [int(x) for x in line.split()[1:]]
            return (sum(ticks) - ticks[3] - ticks[4]) / CLK_TCK  # less idle and iowait
    return 0.0


def stop(proc: subprocess.Popen[bytes], grace: float = 5.0) -> None:
    """SIGTERM the server, SIGKILL it after `grace` s, then any descendant it left behind."""
    # Remember each descendant with its start time, so a recycled PID is never signalled.
    left = [(p, st[2]) for p in tree(proc.pid)[1:] if (st := _stat(p))]
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(grace)
    for pid, started in left:
        st = _stat(pid)
        if st is not None and st[2] == started:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
