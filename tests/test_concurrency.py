"""Blocking views don't stall each other; async views run on the engine's event loop."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

import httpx
import pytest

from .conftest import RunningServer


def test_eight_blocking_views_run_concurrently(kitchen: RunningServer) -> None:
    async def main() -> float:
        async with httpx.AsyncClient(base_url=kitchen.url, timeout=30) as c:
            start = time.monotonic()
            rs = await asyncio.gather(*(c.get("/sleep", params={"s": "1"}) for _ in range(8)))
            assert all(r.text == "slept" for r in rs)
            return time.monotonic() - start

    assert asyncio.run(main()) < 1.9


def test_hundred_async_views_run_concurrently(kitchen: RunningServer) -> None:
    async def main() -> float:
        limits = httpx.Limits(max_connections=100)
        async with httpx.AsyncClient(base_url=kitchen.url, timeout=30, limits=limits) as c:
            start = time.monotonic()
            rs = await asyncio.gather(
                *(c.get("/async-sleep", params={"s": "1"}) for _ in range(100))
            )
            assert all(r.text == "async slept 1" for r in rs)
            return time.monotonic() - start

    assert asyncio.run(main()) < 2.5


def test_fast_requests_pass_while_views_block(kitchen: RunningServer) -> None:
    async def main() -> None:
        async with httpx.AsyncClient(base_url=kitchen.url, timeout=30) as c:
            slow = [asyncio.ensure_future(c.get("/sleep", params={"s": "1"})) for _ in range(4)]
            await asyncio.sleep(0.1)
            start = time.monotonic()
            assert (await c.get("/")).text == "Hello, World!"
            assert time.monotonic() - start < 0.5
            await asyncio.gather(*slow)

    asyncio.run(main())


def _policies(pid: int) -> dict[str, set[int]]:
    """Scheduling policy of each of a process's threads, by thread name."""
    out: dict[str, set[int]] = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        name = Path(f"/proc/{pid}/task/{tid}/comm").read_text().strip()
        out.setdefault(name, set()).add(os.sched_getscheduler(int(tid)))
    return out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SCHED_BATCH is Linux's")
def test_engine_threads_run_as_sched_batch(kitchen: RunningServer) -> None:
    with kitchen.client() as c:
        assert c.get("/").status_code == 200
    policies = _policies(kitchen.proc.pid)
    assert policies["bustapi-py-0"] == {os.SCHED_BATCH}
    assert policies["bustapi-io"] == {os.SCHED_BATCH}
    # Python's own threads (the main one, running signal handlers) are left alone.
    assert os.sched_getscheduler(kitchen.proc.pid) == os.SCHED_OTHER


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SCHED_BATCH is Linux's")
def test_no_batch_scheduling_keeps_the_normal_class() -> None:
    server = RunningServer("tests.apps.plain:app", "--no-batch-scheduling")
    try:
        with server.client() as c:
            assert c.get("/").status_code == 200
        policies = _policies(server.proc.pid)
        assert policies["bustapi-py-0"] == {os.SCHED_OTHER}
        assert policies["bustapi-io"] == {os.SCHED_OTHER}
    finally:
        server.stop()
