"""Blocking views don't stall each other; async views run on the engine's event loop."""

from __future__ import annotations

import asyncio
import time

import httpx

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
