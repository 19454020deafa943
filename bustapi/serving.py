"""Serving an app on the Rust engine: the route table handed to Rust, the server's life cycle.

- `serve(app, ...)`: blocks until SIGINT/SIGTERM (or `stop()`), finishing in-flight requests.
- `start_background(app, ...)`: a server on a thread, for tests and `bustapi.testing`.
- `serve_callback(fn, ...)`: the bare engine with a plain Python callback (the benchmark floor).
"""

from __future__ import annotations

import datetime
import mimetypes
import signal
import sys
import threading
import typing as t
from io import BytesIO

import flask
import werkzeug.serving
from werkzeug.exceptions import MethodNotAllowed, NotFound

from . import _core
from .dispatch import Parts
from .wrappers import Request, from_raw

if t.TYPE_CHECKING:
    from werkzeug.routing import Rule

    from .dispatch import Dispatcher

__all__ = [
    "BackgroundServer",
    "build_table",
    "install_run_simple",
    "run_simple",
    "serve",
    "serve_built",
    "serve_callback",
    "start_background",
]

_STATIC_VIEWS = (flask.Flask.send_static_file, flask.Blueprint.send_static_file)
_MAX_AGE_VIEWS = (flask.Flask.get_send_file_max_age, flask.Blueprint.get_send_file_max_age)


def _has_funcs(mapping: t.Mapping[t.Any, t.Any], names: t.Iterable[t.Any] | None = None) -> bool:
    if names is None:
        return any(mapping.values())
    return any(mapping.get(name) for name in names)


def _app_is_plain(app: flask.Flask) -> bool:
    """Flask would run no user code for a 404, a 405 or an automatic OPTIONS."""
    from flask import signals

    from .app import BustAPI

    cls = type(app)
    app_handlers = app.error_handler_spec.get(None, {})
    return (
        isinstance(app, BustAPI)
        and not _has_funcs(app.before_request_funcs)
        and not _has_funcs(app.after_request_funcs)
        and not _has_funcs(app.url_value_preprocessors)
        and not _has_funcs(app.teardown_request_funcs)
        and not any(app_handlers.values())
        and not any(
            s.receivers
            for s in (
                signals.request_started,
                signals.request_finished,
                signals.got_request_exception,
                signals.request_tearing_down,
            )
        )
        and type(app.session_interface) is flask.sessions.SecureCookieSessionInterface
        and all(
            getattr(cls, name) is getattr(BustAPI, name)
            for name in (
                "handle_user_exception",
                "handle_http_exception",
                "handle_exception",
                "make_default_options_response",
                "preprocess_request",
                "dispatch_request",
                "make_response",
                "process_response",
                "raise_routing_exception",
            )
        )
    )


def _max_age(app: flask.Flask) -> int | None:
    value = app.config["SEND_FILE_MAX_AGE_DEFAULT"]
    if value is None:
        return None
    if isinstance(value, datetime.timedelta):
        return int(value.total_seconds())
    return int(value)


def build_table(app: flask.Flask, dispatcher: Dispatcher | None) -> _core.RouteTable:
    """What Rust may answer alone for this app, in its current state."""
    router = dispatcher.router if dispatcher is not None else None
    plain = router is not None and _app_is_plain(app)
    auto_options: list[int] = []
    statics: dict[int, tuple[str, int | None]] = {}
    if router is not None and dispatcher is not None:
        for index, rule in enumerate(dispatcher.rules):
            if getattr(rule, "provide_automatic_options", False):
                auto_options.append(index)
            if not plain or not rule.endpoint.endswith("static"):
                continue
            view = app.view_functions.get(rule.endpoint)
            owner = app if rule.endpoint == "static" else app.blueprints.get(rule.endpoint[:-7])
            if (
                owner is None
                or getattr(view, "__func__", None) not in _STATIC_VIEWS
                or getattr(view, "__self__", None) is not owner
                or not owner.has_static_folder
                or getattr(type(owner), "get_send_file_max_age", None) not in _MAX_AGE_VIEWS
                or (owner is not app and _has_funcs(app.before_request_funcs, [rule.endpoint[:-7]]))
            ):
                continue
            assert owner.static_folder is not None
            statics[index] = (owner.static_folder, _max_age(app))
    max_len = app.config["MAX_CONTENT_LENGTH"]
    return _core.RouteTable(
        router,
        rust_errors=plain,
        not_found=(NotFound().get_body().encode(), "text/html; charset=utf-8"),
        method_not_allowed=(MethodNotAllowed().get_body().encode(), "text/html; charset=utf-8"),
        auto_options=auto_options,
        statics=statics,
        max_content_length=None if max_len is None else int(max_len),
    )


class _WsgiHandler:
    """Serve through the app's (wrapped) `wsgi_app`: for middleware, which may rewrite anything."""

    def __init__(self, wsgi: t.Callable[..., t.Iterable[bytes]]) -> None:
        self.wsgi = wsgi

    def __call__(self, raw: _core.RawRequest) -> Parts:
        environ = from_raw(Request, raw).environ
        environ.pop("werkzeug.request", None)
        if raw.body_too_large:
            environ["wsgi.input"] = BytesIO(b"")
        captured: list[t.Any] = []

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: t.Any = None
        ) -> t.Callable[[bytes], None]:
            captured[:] = [status, headers]
            return lambda data: None

        result = self.wsgi(environ, start_response)
        if isinstance(result, (list, tuple)):
            try:
                return (captured[0], captured[1], b"".join(result))
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
        iterator = iter(result)
        first = next(iterator, None)  # start_response may be called on first iteration

        def body() -> t.Iterator[bytes]:
            try:
                if first is not None:
                    yield first
                yield from iterator
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()

        return (captured[0], captured[1], body())


def wsgi_entry(app: flask.Flask) -> t.Callable[..., t.Iterable[bytes]] | None:
    """The WSGI callable the app must be served through, or None when the engine may dispatch
    directly: middleware assigned to `app.wsgi_app`, or a subclass overriding `wsgi_app` or
    `__call__`, is honoured exactly as a WSGI server would."""
    from .app import BustAPI

    cls = type(app)
    if cls.__call__ is not BustAPI.__call__:
        return app
    if "wsgi_app" in app.__dict__ or cls.wsgi_app is not BustAPI.wsgi_app:
        return app.wsgi_app
    return None


class _AppHandler:
    """The Rust server's Python entry: `handle` is called once per request (a bound method
    rather than `__call__`, which CPython reaches through a slower slot lookup)."""

    def __init__(self, app: flask.Flask, server_ref: list[_core.Server]) -> None:
        from .app import BustAPI

        assert isinstance(app, BustAPI)
        self.app = app
        self.server_ref = server_ref

    def handle(self, raw: _core.RawRequest) -> Parts | None:
        app = self.app
        app_dict = app.__dict__
        if "wsgi_app" in app_dict:  # middleware assigned while serving
            return _WsgiHandler(app.wsgi_app)(raw)
        current: Dispatcher | None = app_dict.get("_bustapi_dispatcher")
        if current is not None:
            # `current.is_current()`, its common case inline (this runs for every request).
            url_map = app.url_map
            if url_map is current.url_map and (
                url_map._bustapi_added == current.rules_version[1]  # type: ignore[attr-defined]
                if current.counted
                else current.is_current()
            ):
                return current.handle_raw(raw)
        # The URL map changed (`current` is stale or absent): hand Rust the new table, and route
        # this request in Python.
        dispatcher = app.bustapi_dispatcher()
        self.server_ref[0].set_table(build_table(app, dispatcher))
        return dispatcher.handle_raw(raw, reroute=True)


def _mimetypes() -> tuple[dict[str, str], dict[str, str]]:
    mimetypes.init()
    return dict(mimetypes.types_map), dict(mimetypes.encodings_map)


def make_server(
    app: flask.Flask,
    *,
    threads: int = 8,
    access_log: bool = False,
    wsgi: t.Callable[..., t.Iterable[bytes]] | None = None,
    body_timeout: float = 30.0,
    batch_scheduling: bool = True,
) -> _core.Server:
    from .app import BustAPI

    dispatcher = app.bustapi_dispatcher() if isinstance(app, BustAPI) else None
    if wsgi is None and isinstance(app, BustAPI):
        wsgi = wsgi_entry(app)
    table = build_table(app, None if wsgi is not None else dispatcher)
    server_ref: list[_core.Server] = []
    handler: t.Callable[[_core.RawRequest], Parts | None]
    if wsgi is not None:
        handler = _WsgiHandler(wsgi)
    elif isinstance(app, BustAPI):
        handler = _AppHandler(app, server_ref).handle
    else:  # a plain Flask app (or any WSGI app): served through its WSGI entry
        handler = _WsgiHandler(app.wsgi_app)
    types, encodings = _mimetypes()
    server = _core.Server(
        handler,
        table,
        threads=threads,
        batch_scheduling=batch_scheduling,
        access_log=access_log,
        mimetypes=types,
        encodings=encodings,
        body_timeout=body_timeout,
    )
    server_ref.append(server)
    return server


def serve(
    app: flask.Flask,
    host: str = "127.0.0.1",
    port: int = 5000,
    *,
    threads: int = 8,
    unix_socket: str | None = None,
    fd: int | None = None,
    reuse_port: bool = False,
    access_log: bool = False,
    ready: t.Callable[[str], None] | None = None,
    wsgi: t.Callable[..., t.Iterable[bytes]] | None = None,
    batch_scheduling: bool = True,
) -> None:
    """Serve `app` until SIGINT or SIGTERM; in-flight requests finish before returning.
    `wsgi`: serve through this WSGI callable (middleware around the app) instead.
    `batch_scheduling`: the engine's threads do not preempt each other on wake-up (Linux
    `SCHED_BATCH`, see runtime/src/server/sched.rs)."""
    server = make_server(
        app, threads=threads, access_log=access_log, wsgi=wsgi, batch_scheduling=batch_scheduling
    )
    if unix_socket is not None:
        server.bind_unix(unix_socket)
        where = f"unix:{unix_socket}"
    elif fd is not None:
        bound = server.bind_fd(fd)
        where = f"http://{host}:{bound}" if bound is not None else f"fd:{fd}"
    else:
        port = server.bind_tcp(host, port, reuse_port=reuse_port)
        where = f"http://{host}:{port}"
    if access_log:
        _configure_access_log()
    if ready is not None:
        ready(where)
    on_main = threading.current_thread() is threading.main_thread()
    previous = None
    if on_main:
        previous = signal.signal(signal.SIGTERM, _raise_shutdown)
    try:
        server.serve(handle_signals=on_main)
    except _Shutdown:
        pass
    finally:
        if on_main:
            signal.signal(signal.SIGTERM, previous)


def serve_built(app: flask.Flask, router: _core.Router | None, **options: t.Any) -> None:
    """`serve(app, **options)` for a service built by `bustapi build`: `router` is the one the
    binary compiled from its static route table (already checked equal to `app.url_map`). If the
    map changes later, the dispatcher is rebuilt from the live map as under `bustapi run`."""
    from . import templating
    from .app import BustAPI
    from .dispatch import Dispatcher

    templating.install(app)
    if router is not None and isinstance(app, BustAPI) and not app.subdomain_matching:
        with app._bustapi_lock:
            rules = t.cast("list[Rule]", list(router.rules))
            app._bustapi_dispatcher = Dispatcher(app, router, rules)
    if "ready" not in options:

        def ready(where: str) -> None:
            print(
                f" * Serving Flask app '{app.name}' (built) on BustAPI at {where}", file=sys.stderr
            )

        options["ready"] = ready
    serve(app, **options)


def _configure_access_log() -> None:
    """Access lines go to the `bustapi.access` logger; give it a stderr handler unless the
    application configured logging for it already."""
    import logging

    logger = logging.getLogger("bustapi.access")
    logger.setLevel(logging.INFO)
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        logger.addHandler(handler)
        logger.propagate = False


class _Shutdown(Exception):
    """Raised by the SIGTERM handler; the engine stops gracefully, then swallows it."""


def _raise_shutdown(signum: int, frame: t.Any) -> None:
    raise _Shutdown()


class BackgroundServer:
    """A server running on a daemon thread. `stop()` finishes in-flight requests."""

    def __init__(self, server: _core.Server, host: str, port: int) -> None:
        self.server = server
        self.host = host
        self.port = port
        self.url = f"http://{host}:{port}"
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="bustapi-server", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self.server.serve(handle_signals=False)
        except BaseException as e:  # noqa: BLE001 - reported to the owner
            self.error = e

    def stop(self, timeout: float = 30.0) -> None:
        self.server.stop()
        self.thread.join(timeout)

    def __enter__(self) -> BackgroundServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_background(
    app: flask.Flask,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    threads: int = 8,
    body_timeout: float = 30.0,
) -> BackgroundServer:
    """A server for `app` on a daemon thread; `body_timeout`: seconds a request body may take
    to arrive before the answer is 408."""
    server = make_server(app, threads=threads, body_timeout=body_timeout)
    bound = server.bind_tcp(host, port)
    return BackgroundServer(server, host, bound)


def serve_callback(
    callback: t.Callable[[_core.RawRequest], bytes],
    host: str = "127.0.0.1",
    port: int = 5000,
    *,
    threads: int = 8,
) -> None:
    """The bare engine calling `callback(raw_request) -> bytes` per request: the floor the
    Flask dispatch is measured against (bench/)."""
    table = _core.RouteTable(
        None,
        rust_errors=False,
        not_found=(b"", "text/plain"),
        method_not_allowed=(b"", "text/plain"),
        auto_options=[],
        statics={},
        max_content_length=None,
    )
    server = _core.Server(callback, table, threads=threads)
    server.bind_tcp(host, port)
    print(f" * BustAPI floor serving on http://{host}:{port}", file=sys.stderr)
    try:
        server.serve(handle_signals=True)
    except _Shutdown:
        pass


# -- app.run(): Flask's own, ending in Werkzeug's run_simple, which serves BustAPI apps here -----

_werkzeug_run_simple = werkzeug.serving.run_simple


def run_simple(
    hostname: str,
    port: int,
    application: t.Any,
    use_reloader: bool = False,
    use_debugger: bool = False,
    use_evalex: bool = True,
    extra_files: t.Iterable[str] | None = None,
    exclude_patterns: t.Iterable[str] | None = None,
    reloader_interval: int = 1,
    reloader_type: str = "auto",
    threaded: bool = False,
    processes: int = 1,
    request_handler: t.Any = None,
    static_files: dict[str, t.Any] | None = None,
    passthrough_errors: bool = False,
    ssl_context: t.Any = None,
) -> None:
    """`werkzeug.serving.run_simple`, serving a BustAPI app on the engine.

    `Flask.run` is left as Flask wrote it (its argument handling, `SERVER_NAME`, `debug`, the
    banner); it ends here. Anything that is not a BustAPI app, or that asks for what only
    Werkzeug's server does (TLS, a custom request handler, forked processes), goes to Werkzeug.
    The debugger and `static_files` are WSGI middleware, served through the WSGI path.
    """
    from .app import BustAPI

    if (
        not isinstance(application, BustAPI)
        or ssl_context is not None
        or request_handler is not None
        or processes > 1
    ):
        _werkzeug_run_simple(
            hostname, port, application, use_reloader, use_debugger, use_evalex,
            extra_files, exclude_patterns, reloader_interval, reloader_type, threaded,
            processes, request_handler, static_files, passthrough_errors, ssl_context,
        )  # fmt: skip
        return
    app: BustAPI = application

    def serve_forever() -> None:
        wsgi: t.Any = None
        if static_files:
            from werkzeug.middleware.shared_data import SharedDataMiddleware

            wsgi = SharedDataMiddleware(app.wsgi_app, static_files)
        if use_debugger:
            from werkzeug.debug import DebuggedApplication

            wsgi = DebuggedApplication(wsgi or app.wsgi_app, evalex=use_evalex)

        def ready(where: str) -> None:
            print(f" * Running on {where} (BustAPI engine)", file=sys.stderr)

        serve(app, hostname, port, wsgi=wsgi, ready=ready)

    if use_reloader:
        from werkzeug._reloader import run_with_reloader

        run_with_reloader(
            serve_forever,
            extra_files=extra_files,
            exclude_patterns=exclude_patterns,
            interval=reloader_interval,
            reloader_type=reloader_type,
        )
    else:
        serve_forever()


def install_run_simple() -> None:
    """Make `werkzeug.serving.run_simple` (what `Flask.run` calls) serve BustAPI apps on the
    engine. Other applications keep Werkzeug's server."""
    werkzeug.serving.run_simple = run_simple
