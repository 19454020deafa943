"""Benchmark BustAPI against its peers: `make bench`, or `.venv/bin/python bench/run.py --help`.

Installs each peer into bench/.venvs/<peer> (pins in bench/requirements/). Then, in each of N
rounds, for each peer in turn (the order rotates between rounds): start ONE server process pinned
to one core, check every endpoint answers right, and for each endpoint run wrk pinned to another
core, a warm-up and one measured run; stop the server. Rows report the median over the rounds of
req/s, p50/p99 latency and the server's CPU µs per request, with BustAPI's ratio to each peer and
the issue's target check, as markdown on stdout and JSON in bench/results/<timestamp>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from harness import endpoints, peers, report, server, venvs
from harness.endpoints import Endpoint
from harness.load import run_wrk
from harness.peers import ROOT, Peer, Settings
from harness.report import Results, Row, Run

RESULTS = Path(__file__).resolve().parent / "results"


def say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Benchmark BustAPI against its peers.")
    add = p.add_argument
    add("--duration", type=int, default=4, help="seconds per measured run (4)")
    add("--warmup", type=int, default=1, help="seconds of warm-up before each run (1)")
    add("--repeats", type=int, default=3, help="rounds; the median is reported (3)")
    add("--connections", type=int, default=64, help="wrk connections, one wrk thread (64)")
    add("--only", help="comma-separated peers: " + ",".join(peers.BY_NAME))
    add("--endpoints", help="comma-separated: text,json,user,echo,page (or their paths)")
    add("--threads", type=int, default=8, help="BustAPI's Python worker threads (8)")
    add("--server-cpu", type=int, default=0, help="core the server is pinned to (0)")
    add("--client-cpu", type=int, default=1, help="core wrk is pinned to (1)")
    add("--no-pin", action="store_true", help="do not pin with taskset")
    add("--host", default="127.0.0.1")
    add("--engine-venv", type=Path, default=ROOT / ".venv", help="venv with our bustapi (.venv)")
    add("--start-timeout", type=float, default=60.0, help="seconds to wait for a port (60)")
    add("--reinstall", action="store_true", help="recreate the peers' virtualenvs")
    add("--install-only", action="store_true", help="install the peers' virtualenvs, then stop")
    return p.parse_args(argv)


def measure(pid: int, url: str, ep: Endpoint, a: argparse.Namespace) -> Run:
    client_cpu = None if a.no_pin else a.client_cpu
    if a.warmup > 0:
        run_wrk(url, ep, a.warmup, a.connections, client_cpu)
    cores = (a.server_cpu, a.client_cpu)
    cpu0, t0 = server.cpu_seconds(pid), time.monotonic()
    busy0 = [server.core_busy_seconds(c) for c in cores]
    res = run_wrk(url, ep, a.duration, a.connections, client_cpu)
    busy1 = [server.core_busy_seconds(c) for c in cores]
    cpu1, t1 = server.cpu_seconds(pid), time.monotonic()
    used, wall = cpu1 - cpu0, t1 - t0
    # Busy time of each pinned core not spent by its own process (meaningless unpinned).
    other = [
        max(0.0, (b1 - b0 - own) / wall)
        for b0, b1, own in zip(busy0, busy1, (used, res.client_cpu_s))
    ]
    return Run(
        requests=res.requests,
        seconds=res.seconds,
        rps=res.rps,
        p50_ms=res.p50_ms,
        p99_ms=res.p99_ms,
        cpu_us_per_req=used / max(res.requests, 1) * 1e6,
        core_use=used / wall,
        # Unpinned, the server's work spreads over cores: "other load" means nothing then.
        other_load=0.0 if a.no_pin else other[0],
        client_use=res.client_cpu_s / wall,
        client_other_load=0.0 if a.no_pin else other[1],
        non_2xx=res.non_2xx,
        socket_errors=res.socket_errors,
    )


def one_round(peer: Peer, rows: list[Row], s: Settings, a: argparse.Namespace, log: Path) -> None:
    """Start the peer's server, measure each of its still-healthy rows once, stop it."""
    launch = peer.launch(peer.venv(s), s)
    say(f"[{peer.name}] start: {' '.join(launch.argv)}")
    try:
        proc = server.start(launch, None if a.no_pin else a.server_cpu, log)
    except OSError as exc:
        for row in rows:
            row.reason = f"could not start: {exc}"
        return
    try:
        err = server.wait_port(proc, s.host, s.port, a.start_timeout)
        if err:
            tail = server.log_tail(log)
            for row in rows:
                row.reason = f"{err}: {tail}" if tail else err
            say(f"[{peer.name}] {rows[0].reason}")
            return
        for row in rows:
            ep = endpoints.BY_NAME[row.endpoint]
            if proc.poll() is not None:
                row.reason = f"server exited with status {proc.returncode}: {server.log_tail(log)}"
            else:
                row.reason = server.probe(s.host, s.port, ep) or ""
            if not row.reason:
                try:
                    run = measure(proc.pid, f"http://{s.host}:{s.port}", ep, a)
                except RuntimeError as exc:
                    row.reason = f"{ep.label}: {exc}"
                else:
                    row.runs.append(run)
                    if run.non_2xx:
                        row.reason = f"{ep.label}: {run.non_2xx} non-2xx answers under load"
                    elif proc.poll() is not None:
                        row.reason = f"server exited with status {proc.returncode} under load"
                    say(
                        f"[{peer.name}] {ep.label}: {run.rps:,.0f} req/s, "
                        f"{run.cpu_us_per_req:.1f} CPU µs/req, core use {run.core_use:.0%}, "
                        f"other load {run.other_load:.0%}, wrk {run.client_use:.0%}, "
                        f"other load on wrk's core {run.client_other_load:.0%}"
                    )
            if row.reason:
                say(f"[{peer.name}] FAILED {row.reason}")
    finally:
        server.stop(proc)


def machine() -> dict[str, Any]:
    def out(argv: list[str]) -> str:
        try:
            done = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT)
        except OSError:
            return ""
        return (done.stdout or done.stderr).strip()

    return {
        "cores": os.cpu_count(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "wrk": (out(["wrk", "-v"]).splitlines() or [""])[0],
        "git": out(["git", "rev-parse", "--short", "HEAD"]),
        "git_dirty": bool(out(["git", "status", "--porcelain"])),
    }


def summary(a: argparse.Namespace, stamp: str, meta: dict[str, Any]) -> str:
    pin = (
        f"pinned to core {a.server_cpu}, wrk `-t1 -c{a.connections}` on core {a.client_cpu}"
        if not a.no_pin
        else "unpinned (--no-pin)"
    )
    lines = [
        f"## BustAPI benchmark {stamp}\n",
        f"Each server one process {pin}; per round {a.warmup}s warm-up + {a.duration}s measured; "
        f"median of {a.repeats} rounds. Machine: {meta['machine']}.\n",
    ]
    lines += [
        f"- {n}: " + ", ".join(f"{k} {v}" for k, v in vs.items())
        for n, vs in meta["versions"].items()
    ]
    lines += [f"- note: {n}" for n in meta["notes"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    a = parse_args(argv)
    chosen, eps = peers.select(a.only), endpoints.select(a.endpoints)
    if not a.install_only:
        if shutil.which("wrk") is None:
            say("wrk not found: install it (Debian: apt-get install -y wrk)")
            return 2
        if not a.no_pin and (shutil.which("taskset") is None or (os.cpu_count() or 1) < 2):
            say("taskset or a second core is missing: pass --no-pin to run unpinned")
            return 2
    base = Settings(a.host, 0, a.threads, a.engine_venv.resolve())
    notes: list[str] = []
    results: Results = {}
    for peer in chosen:
        say(f"[{peer.name}] virtualenv {peer.venv(base)}")
        err = venvs.ensure(peer, base, a.reinstall, notes)
        for ep in eps:
            if ep.name in peer.endpoints:
                results[(peer.name, ep.name)] = Row(peer.name, ep.name, reason=err or "")
        if err:
            say(f"[{peer.name}] {err}")
    if a.install_only:
        return 1 if any(r.reason for r in results.values()) else 0
    stamp = time.strftime("%Y%m%d-%H%M%S")
    log_dir = RESULTS / f"{stamp}-logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    versions = {p.name: venvs.versions(p, base) for p in chosen}
    for r in range(a.repeats):
        say(f"--- round {r + 1}/{a.repeats}")
        for peer in chosen[r % len(chosen) :] + chosen[: r % len(chosen)]:
            rows = [results[(peer.name, e.name)] for e in eps if (peer.name, e.name) in results]
            rows = [row for row in rows if not row.reason]
            if rows:
                s = Settings(a.host, server.free_port(a.host), a.threads, base.engine_venv)
                one_round(peer, rows, s, a, log_dir / f"{peer.name}-{r + 1}.log")
    for row in results.values():
        row.ok = not row.reason and bool(row.runs)
    target_md, checks = report.targets(results)
    meta = {
        "timestamp": stamp,
        "machine": machine(),
        "versions": versions,
        "notes": notes,
        "settings": {k: str(v) for k, v in vars(a).items()},
    }
    doc = {"meta": meta, "rows": [r.to_json() for r in results.values()], "targets": checks}
    out_path = RESULTS / f"{stamp}.json"
    out_path.write_text(json.dumps(doc, indent=2))
    print(summary(a, stamp, meta))
    print(report.tables(results, [p.name for p in chosen], [e.name for e in eps]))
    noisy = [
        r
        for r in results.values()
        if max(r.median("other_load") or 0, r.median("client_other_load") or 0) > 0.1
    ]
    if noisy:
        print(
            f"\n**Noisy run**: other work took over 10% of the server's or wrk's core in "
            f"{len(noisy)} of {len(results)} rows (see *other load*): req/s is unreliable; "
            "compare CPU µs/req."
        )
    print("\n### Targets (issue 2)\n")
    print(target_md)
    print(f"\nJSON: {out_path.relative_to(ROOT)}; server logs: {log_dir.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
