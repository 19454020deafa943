"""Background servers for `bustapi.testing`'s HTTP transport: the engine, or a Werkzeug stand-in.

The engine's API is ``bustapi.serving.start_background(app, host="127.0.0.1", port=0)`` returning
an object with ``.host``, ``.port``, ``.url`` and ``.stop()`` (`BackgroundServer` below).
``BUSTAPI_TEST_SERVER=werkzeug`` selects `WerkzeugServer` instead: Werkzeug's threaded development
server in a daemon thread, serving ``app.wsgi_app`` — a stand-in used to prove the transport
before the engine's server existed, and still handy to tell a transport bug from an engine bug.
"""

from __future__ import annotations

import importlib
import io
import os
import threading
import typing as t

import flask
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

if t.TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

SERVER_ENV = "BUSTAPI_TEST_SERVER"


class BackgroundServer(t.Protocol):
    """What `bustapi.serving.start_background` returns."""

    @property
    def host(self) -> str: ...
    @property
    def port(self) -> int: ...
    @property
    def url(self) -> str: ...
    def stop(self) -> None: ...


def server_kind() -> str:
    """``"werkzeug"`` (the stand-in) or ``"engine"`` (`bustapi.serving`), from the environment."""
    return "werkzeug" if os.environ.get(SERVER_ENV, "").lower() == "werkzeug" else "engine"


def start_server(app: flask.Flask) -> BackgroundServer:
    """Start a server for `app` on a free port of 127.0.0.1, in a background thread."""
    if server_kind() == "werkzeug":
        return WerkzeugServer(app)
    # The engine's server plugs in here.
    serving = importlib.import_module("bustapi.serving")
    server: BackgroundServer = serving.start_background(app, host="127.0.0.1", port=0)
    return server


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass  # no access log: the in-process path writes none either


class WerkzeugServer:
    """Werkzeug's threaded development server for one app, in a daemon thread."""

    def __init__(self, app: flask.Flask, host: str = "127.0.0.1", port: int = 0) -> None:
        def application(environ: WSGIEnvironment, start_response: StartResponse) -> t.Any:
            # Buffer the body, as the engine does: a request context handed back to the test
            # (`with client:`) may parse the form after this connection is gone.
            length = environ.get("CONTENT_LENGTH")
            if length or environ.get("wsgi.input_terminated"):
                body = environ["wsgi.input"].read(int(length) if length else -1)
                environ["wsgi.input"] = io.BytesIO(body)
            try:
                return app(environ, start_response)
            except BaseException as exc:  # KeyboardInterrupt too: in-process it reaches the caller
                # Escaped the app: the transport re-raises it in the caller.
                from .testing import TEST_ID_HEADER, record_escaped

                test_id = environ.get("HTTP_" + TEST_ID_HEADER.upper().replace("-", "_"))
                if test_id:
                    record_escaped(test_id, exc)
                start_response("500 INTERNAL SERVER ERROR", [("Content-Length", "0")])
                return [b""]

        self._server: BaseWSGIServer = make_server(
            host, port, application, threaded=True, request_handler=_QuietHandler
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            args=(0.02,),
            name=f"bustapi-test-server:{app.name}",
            daemon=True,
        )
        self._thread.start()

    @property
    def host(self) -> str:
        return str(self._server.server_address[0])

    @property
    def port(self) -> int:
        return int(self._server.server_port)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
