"""The engine's asyncio event loop: one per process, on its own thread, started on first use.

`async def` views served by the engine run here as tasks (so 100 concurrent sleeping views need
no threads); Flask's `ensure_sync` for async hooks and for the WSGI entry blocks on it instead of
needing `asgiref`.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import threading
import typing as t

_lock = threading.Lock()
_loop: asyncio.AbstractEventLoop | None = None
_thread: threading.Thread | None = None
# The loop keeps only weak references to tasks: hold them until they finish.
_running: set[asyncio.Task[t.Any]] = set()

T = t.TypeVar("T")


def get_loop() -> asyncio.AbstractEventLoop:
    global _loop, _thread
    loop = _loop
    if loop is not None:
        return loop
    with _lock:
        if _loop is None:
            new_loop = asyncio.new_event_loop()
            thread = threading.Thread(
                target=new_loop.run_forever, name="bustapi-asyncio", daemon=True
            )
            thread.start()
            _loop, _thread = new_loop, thread
        return _loop


def on_loop_thread() -> bool:
    return _thread is not None and threading.current_thread() is _thread


def run_sync(coro: t.Coroutine[t.Any, t.Any, T]) -> T:
    """Run `coro` to completion from synchronous code, in a copy of the caller's context (so
    `flask.request` and friends work inside it), and return its result."""
    context = contextvars.copy_context()
    if on_loop_thread():
        # Called from code already running on the engine loop (an async hook of an async
        # view): the loop cannot wait on itself, so use a private loop on a helper thread.
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            return pool.submit(context.run, asyncio.run, coro).result()
    loop = get_loop()
    future: concurrent.futures.Future[T] = concurrent.futures.Future()

    def start() -> None:
        task = loop.create_task(coro, context=context)
        _running.add(task)
        task.add_done_callback(_running.discard)

        def done(task: asyncio.Task[T]) -> None:
            if task.cancelled():
                future.cancel()
            elif (exc := task.exception()) is not None:
                future.set_exception(exc)
            else:
                future.set_result(task.result())

        task.add_done_callback(done)

    loop.call_soon_threadsafe(start)
    return future.result()


def start_task(
    coro: t.Coroutine[t.Any, t.Any, T],
    context: contextvars.Context,
    done: t.Callable[[T | None, BaseException | None], None],
) -> None:
    """Run `coro` on the engine loop in `context`; call `done(result, error)` on the loop when
    it finishes, inside the same `context` (so context-variable tokens can be reset there)."""
    loop = get_loop()

    def finished(task: asyncio.Task[T]) -> None:
        if task.cancelled():
            context.run(done, None, asyncio.CancelledError())
        elif (exc := task.exception()) is not None:
            context.run(done, None, exc)
        else:
            context.run(done, task.result(), None)

    def start() -> None:
        task = loop.create_task(coro, context=context)
        _running.add(task)
        task.add_done_callback(_running.discard)
        task.add_done_callback(finished)

    loop.call_soon_threadsafe(start)
