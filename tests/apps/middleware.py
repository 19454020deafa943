"""An app whose `wsgi_app` is wrapped by WSGI middleware (ProxyFix + a header-adding one)."""

from __future__ import annotations

import typing as t

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

app = Flask(__name__)


@app.get("/")
def index() -> dict[str, object]:
    return {"remote_addr": request.remote_addr, "scheme": request.scheme, "host": request.host}


class AddHeader:
    def __init__(self, wsgi: t.Callable[..., t.Any]) -> None:
        self.wsgi = wsgi

    def __call__(self, environ: dict[str, t.Any], start_response: t.Callable[..., t.Any]) -> t.Any:
        def start(status: str, headers: list[tuple[str, str]], exc_info: t.Any = None) -> t.Any:
            return start_response(status, [*headers, ("X-Middleware", "yes")], exc_info)

        return self.wsgi(environ, start)


app.wsgi_app = ProxyFix(AddHeader(app.wsgi_app), x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
