"""Load generation with wrk (pinned to its own core) and parsing of its `--latency` report."""

from __future__ import annotations

import dataclasses
import re
import resource
import subprocess
import tempfile
from pathlib import Path

from .endpoints import Endpoint

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}


@dataclasses.dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: int
    client_cpu_s: float = 0.0  # wrk's own user+system CPU time


def _ms(value: str, unit: str) -> float:
    return float(value) * _UNITS[unit]


def parse(out: str) -> WrkResult:
    """Parse wrk 4's report (run with --latency); raises ValueError if it is not one."""
    done = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m|h)", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s|m|h)", out, re.M)
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s|m|h)", out, re.M)
    if not (done and rps and p50 and p99):
        raise ValueError(f"unexpected wrk output: {out.strip()[-300:]!r}")
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return WrkResult(
        requests=int(done.group(1)),
        seconds=_ms(done.group(2), done.group(3)) / 1e3,
        rps=float(rps.group(1)),
        p50_ms=_ms(p50.group(1), p50.group(2)),
        p99_ms=_ms(p99.group(1), p99.group(2)),
        non_2xx=int(non2xx.group(1)) if non2xx else 0,
        socket_errors=sum(int(g) for g in sock.groups()) if sock else 0,
    )


def lua_script(ep: Endpoint, folder: Path) -> Path | None:
    """A wrk script setting method, body and Content-Type, for endpoints that need one."""
    if ep.method == "GET" and ep.body is None:
        return None
    lines = [f'wrk.method = "{ep.method}"']
    if ep.body is not None:
        lines.append(f"wrk.body = [==[{ep.body.decode()}]==]")
    if ep.content_type:
        lines.append(f'wrk.headers["Content-Type"] = "{ep.content_type}"')
    path = folder / f"{ep.name}.lua"
    path.write_text("\n".join(lines) + "\n")
    return path


def run_wrk(url: str, ep: Endpoint, duration: int, connections: int, cpu: int | None) -> WrkResult:
    """One wrk run; raises RuntimeError when wrk fails or its report cannot be read."""
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as tmp:
        script = lua_script(ep, Path(tmp))
        argv = (["taskset", "-c", str(cpu)] if cpu is not None else []) + ["wrk", "-t1"]
        argv += [f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
        argv += (["-s", str(script)] if script else []) + [url + ep.path]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=duration + 60)
        except subprocess.TimeoutExpired as exc:
            raise RuntimeError(f"wrk did not finish: {exc}") from exc
    if done.returncode != 0:
        raise RuntimeError(f"wrk exited {done.returncode}: {(done.stderr or done.stdout)[-300:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    try:
        return dataclasses.replace(parse(done.stdout), client_cpu_s=used)
    except ValueError as exc:
        raise RuntimeError(str(exc)) from exc
