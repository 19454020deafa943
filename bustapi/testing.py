"""The test client's transport switch: in-process (default) or over real HTTP.

With ``BUSTAPI_TEST_TRANSPORT=http`` in the environment, every ``app.test_client()`` of a
``BustAPI`` app sends its requests through a real server on 127.0.0.1 (started lazily, once per
app, on a free port, in a background thread), so any test suite runs through the socket path
unchanged. Everything above the wire stays Werkzeug's: `EnvironBuilder` builds the request, the
client's cookie jar adds and stores cookies, redirects are followed by `Client.open`, and the
answer is a Werkzeug `TestResponse`. Only `run_wsgi_app` — the in-process call of the app — is
replaced by: serialise the environ onto an HTTP request, send it, turn the HTTP response back
into ``(body, status, headers)``.

What travels: method, path, query string, headers (``Host`` from ``HTTP_HOST``, cookies, the
Werkzeug user agent), body. Exceptions the app lets escape (``PROPAGATE_EXCEPTIONS``, on when
testing) are re-raised in the caller, as in-process: the server thread records them through
Flask's ``got_request_exception`` signal (and ``request_tearing_down`` for what Flask never
handles, like ``KeyboardInterrupt``), keyed by a per-request ``X-BustAPI-Test-Id`` header (which
the app can see). Inside ``with client:`` the request's contexts are handed back to the
caller as in-process (``werkzeug.debug.preserve_context``): the server thread records them on
``request_started``, and the caller re-pushes them once the server has popped them (their
``_cv_tokens`` are empty: popping may happen on another thread than the view's, for async views
and streamed bodies). Headers the server adds (``Date``, ``Server``) and hop-by-hop headers are
dropped from the response, so it looks as it does in-process.

What cannot travel, so those requests take the in-process path (counted in `stats` by reason):

- the caller has an app context of the same app pushed: in-process the request shares it (its
  ``g``, its teardown), a server thread cannot;
- ``wsgi.url_scheme`` other than http: the server speaks plain HTTP, and ``X-Forwarded-Proto``
  would only work for apps that trust it;
- a non-empty ``SCRIPT_NAME``; a ``REMOTE_ADDR`` other than 127.0.0.1; a protocol other than
  HTTP/1.1; ``wsgi.errors`` other than ``sys.stderr``; header values with line breaks;
- any other non-standard environ key (``environ_base`` / ``environ_overrides`` entries the server
  cannot know).

``SERVER_NAME``/``SERVER_PORT`` follow the ``Host`` header. A custom ``test_client_class`` that is
not a `FlaskClient` keeps its in-process behaviour, as does a Werkzeug ``Client(app)`` built by
hand: only ``app.test_client()`` is switched.

The server is `bustapi.serving.start_background`; ``BUSTAPI_TEST_SERVER=werkzeug`` selects
Werkzeug's threaded development server instead (a stand-in that proves the transport itself).
"""

from __future__ import annotations

import atexit
import http.client
import os
import sys
import threading
import time
import typing as t
import uuid
from collections import Counter, OrderedDict
from urllib.parse import quote, urlsplit

import flask
from flask.globals import _cv_app, _cv_request
from flask.testing import FlaskClient
from werkzeug.datastructures import Headers
from werkzeug.wsgi import get_current_url

from ._servers import BackgroundServer, start_server

if t.TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

TRANSPORT_ENV = "BUSTAPI_TEST_TRANSPORT"
TEST_ID_HEADER = "X-BustAPI-Test-Id"
#: Servers kept running at once; the least recently used one is stopped (and restarted on demand).
MAX_LIVE_SERVERS = 8
HTTP_TIMEOUT = 120.0
#: How long a ``with client:`` request waits for the server thread to release its contexts.
PRESERVE_WAIT = 10.0

#: Requests sent over HTTP (``"http"``) and requests kept in-process (``"in-process:<reason>"``).
stats: Counter[str] = Counter()

_STANDARD_KEYS = frozenset(
    {
        "REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "REQUEST_URI", "RAW_URI",
        "SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL", "CONTENT_TYPE", "CONTENT_LENGTH",
        "REMOTE_ADDR", "wsgi.version", "wsgi.url_scheme", "wsgi.input", "wsgi.errors",
        "wsgi.multithread", "wsgi.multiprocess", "wsgi.run_once", "wsgi.input_terminated",
        "werkzeug.request", "werkzeug.debug.preserve_context",
    }
)  # fmt: skip
_DROPPED_RESPONSE_HEADERS = frozenset(
    {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "date", "server"}
)
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


def transport() -> str:
    """``"http"`` when requests go over a real socket, else ``"wsgi"`` (in-process)."""
    return "http" if os.environ.get(TRANSPORT_ENV, "").lower() == "http" else "wsgi"


def client_class(app: flask.Flask) -> type[FlaskClient]:
    """The test client class `app.test_client()` uses under the current transport."""
    base = app.test_client_class or FlaskClient
    if transport() != "http" or not issubclass(base, FlaskClient):
        return base
    if issubclass(base, HttpFlaskClient):
        return base
    if base is FlaskClient:
        return HttpFlaskClient
    return _http_classes.setdefault(
        base, type(base.__name__, (HttpFlaskClient, base), {"__module__": base.__module__})
    )


_http_classes: dict[type[FlaskClient], type[FlaskClient]] = {}


class HttpFlaskClient(FlaskClient):
    """A `FlaskClient` whose requests reach the app through a real server on 127.0.0.1."""

    def run_wsgi_app(
        self, environ: WSGIEnvironment, buffered: bool = False
    ) -> tuple[t.Iterable[bytes], str, Headers]:
        reason = _in_process_reason(self.application, environ)
        if reason is not None:
            stats[f"in-process:{reason}"] += 1
            return super().run_wsgi_app(environ, buffered=buffered)
        stats["http"] += 1
        self._add_cookies_to_wsgi(environ)
        server = server_for(self.application)
        test_id = uuid.uuid4().hex
        preserve = environ.get("werkzeug.debug.preserve_context")
        slot = _preserved[test_id] = _Preserved() if preserve is not None else None
        try:
            body, status, headers = _send(server, environ, test_id)
        finally:
            _preserved.pop(test_id, None)
            exc = _escaped.pop(test_id, None)
            if preserve is not None and slot is not None and slot.contexts:
                # As in-process: hand the request's contexts to the client once the server
                # thread is done with them (it pops them after sending the response).
                if not slot.wait_released(PRESERVE_WAIT):
                    stats["preserve_context_timeout"] += 1
                for ctx in slot.contexts:
                    preserve(ctx)
        if exc is not None:
            raise exc
        url = urlsplit(get_current_url(environ))
        self._update_cookies_from_response(
            url.hostname or "localhost", url.path, headers.getlist("Set-Cookie")
        )
        return [body], status, headers


def _in_process_reason(app: flask.Flask, environ: WSGIEnvironment) -> str | None:
    """Why this request cannot be carried over HTTP faithfully, or None if it can."""
    outer = _cv_app.get(None)
    if outer is not None and outer.app is app:
        return "app_context"  # in-process, the request would share the caller's app context
    if environ.get("wsgi.url_scheme") != "http":
        return "url_scheme"
    if environ.get("SCRIPT_NAME"):
        return "script_name"
    if environ.get("REMOTE_ADDR", "127.0.0.1") != "127.0.0.1":
        return "remote_addr"
    if environ.get("SERVER_PROTOCOL") != "HTTP/1.1":
        return "protocol"
    if not environ.get("HTTP_HOST"):
        return "no_host"
    if environ.get("wsgi.errors") is not sys.stderr:
        return "wsgi.errors"
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            if not isinstance(value, str) or "\r" in value or "\n" in value:
                return "header_value"
        elif key not in _STANDARD_KEYS:
            return f"environ:{key}"
    return None


def _target(environ: WSGIEnvironment) -> str:
    path = quote(environ.get("PATH_INFO", "").encode("latin-1"), safe=_PATH_SAFE)
    if not path.startswith("/"):
        # `client.get("name")` gives PATH_INFO "name"; Werkzeug reads it as "/name". A path that
        # does start with slashes keeps them all: Werkzeug routes `//a` (merge_slashes).
        path = "/" + path
    query = environ.get("QUERY_STRING", "")
    if query:
        # Already URL-encoded by EnvironBuilder; escape only what may not appear raw in a target.
        query = quote(query.encode("latin-1"), safe="".join(map(chr, range(0x21, 0x7F))) + "%")
        return f"{path}?{query.replace('#', '%23')}"
    return path


def _send(
    server: BackgroundServer, environ: WSGIEnvironment, test_id: str
) -> tuple[bytes, str, Headers]:
    method = environ["REQUEST_METHOD"]
    headers: list[tuple[str, str]] = []
    for key, value in environ.items():
        if key.startswith("HTTP_") and key not in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"):
            headers.append((key[5:].replace("_", "-").title(), value))
    if environ.get("CONTENT_TYPE"):
        headers.append(("Content-Type", environ["CONTENT_TYPE"]))
    chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
    body = b""
    stream = environ["wsgi.input"]
    start = stream.tell() if stream.seekable() else None
    if environ.get("CONTENT_LENGTH"):
        headers.append(("Content-Length", environ["CONTENT_LENGTH"]))
        body = stream.read(int(environ["CONTENT_LENGTH"]))
    elif chunked:
        body = stream.read()
    if start is not None:
        stream.seek(start)  # as in-process, a followed 307/308 redirect can send the body again
    headers.append((TEST_ID_HEADER, test_id))

    conn = http.client.HTTPConnection(server.host, server.port, timeout=HTTP_TIMEOUT)
    try:
        conn.putrequest(method, _target(environ), skip_host=True, skip_accept_encoding=True)
        for name, value in headers:
            conn.putheader(name, value)
        if chunked:
            conn.endheaders(iter([body]) if body else iter(()), encode_chunked=True)
        else:
            conn.endheaders(body or None)
        response = conn.getresponse()
        data = response.read()
        status = f"{response.status} {response.reason}".rstrip()
        out = Headers(
            [(k, v) for k, v in response.getheaders() if k.lower() not in _DROPPED_RESPONSE_HEADERS]
        )
    finally:
        conn.close()
    return data, status, out


# -- recorded in the server thread, keyed by the request's X-BustAPI-Test-Id ---------------------

_escaped: dict[str, BaseException] = {}
_preserved: dict[str, _Preserved | None] = {}


class _Preserved:
    """The contexts of a request made inside ``with client:``, for the client to re-push."""

    def __init__(self) -> None:
        self.contexts: list[t.Any] = []  # [AppContext, RequestContext], as Flask hands them out

    def wait_released(self, timeout: float) -> bool:
        """Wait until the server has popped both contexts (Flask's and the engine's contexts
        keep their push tokens in ``_cv_tokens``)."""
        deadline = time.monotonic() + timeout
        while any(getattr(ctx, "_cv_tokens", None) for ctx in self.contexts):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.0005)
        return True


def _test_id() -> str | None:
    return flask.request.headers.get(TEST_ID_HEADER) if flask.has_request_context() else None


def _on_request_tearing_down(
    sender: flask.Flask, exc: BaseException | None = None, **_: object
) -> None:
    # Flask handles `Exception`s only: anything else (KeyboardInterrupt…) always escapes the app.
    test_id = _test_id()
    if test_id is not None and exc is not None and not isinstance(exc, Exception):
        record_escaped(test_id, exc)


def _on_request_started(sender: flask.Flask, **_: object) -> None:
    slot = _preserved.get(_test_id() or "")
    if slot is not None:
        slot.contexts = [_cv_app.get(), _cv_request.get()]


def record_escaped(test_id: str, exc: BaseException) -> None:
    """For a server that sees an exception escape the app: re-raise it in the caller."""
    _escaped.setdefault(test_id, exc)


def _on_exception(sender: flask.Flask, exception: BaseException, **_: object) -> None:
    test_id = _test_id()
    if test_id is None:
        return
    propagate = sender.config["PROPAGATE_EXCEPTIONS"]
    if propagate is None:
        propagate = sender.testing or sender.debug
    if propagate:  # Flask's `handle_exception` re-raises it out of the app: in-process, the caller
        record_escaped(test_id, exception)  # sees it.


# -- one server per app, started on first use ----------------------------------------------------

_servers: OrderedDict[int, tuple[flask.Flask, BackgroundServer]] = OrderedDict()
_lock = threading.Lock()


def server_for(app: flask.Flask) -> BackgroundServer:
    """The running server for `app`, started now if needed."""
    with _lock:
        entry = _servers.get(id(app))
        if entry is not None and entry[0] is app:
            _servers.move_to_end(id(app))
            return entry[1]
        flask.got_request_exception.connect(_on_exception, weak=False)
        flask.request_tearing_down.connect(_on_request_tearing_down, weak=False)
        flask.request_started.connect(_on_request_started, weak=False)
        while len(_servers) >= MAX_LIVE_SERVERS:
            _servers.popitem(last=False)[1][1].stop()
        server = start_server(app)
        _servers[id(app)] = (app, server)
        return server


def stop_servers() -> None:
    """Stop every server the transport started (they restart on the next request)."""
    with _lock:
        while _servers:
            _servers.popitem()[1][1].stop()


atexit.register(stop_servers)
