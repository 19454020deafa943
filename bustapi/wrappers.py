"""`Request` and `Response`: Flask's own classes, fed from the Rust-parsed request.

`Request` *is* a `flask.Request` (isinstance holds, every Werkzeug property works). Built by the
engine from a `bustapi._core.RawRequest`, it reads nothing until asked: headers, body and the WSGI
`environ` are materialised on first access.
"""

from __future__ import annotations

import sys
import typing as t
from io import BytesIO

import flask
from werkzeug.datastructures import Headers
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.utils import cached_property

if t.TYPE_CHECKING:
    from ._core import RawRequest

__all__ = ["Request", "Response", "raw_request_class"]

Response = flask.Response


def _wsgi_path(path: str) -> str:
    # PEP 3333: PATH_INFO is the UTF-8 bytes of the path, as latin-1 code points.
    return path.encode("utf-8", "surrogateescape").decode("latin-1")


class RawRequestMixin:
    """What a `flask.Request` needs to be built from a `RawRequest` instead of an environ."""

    _raw: RawRequest | None = None

    @classmethod
    def from_raw(cls, raw: RawRequest) -> t.Any:
        self = cls.__new__(cls)
        d = self.__dict__
        d["_raw"] = raw
        d["method"] = raw.method
        d["scheme"] = raw.scheme
        d["server"] = raw.server
        d["root_path"] = ""
        d["path"] = raw.path if raw.path.startswith("/") else "/" + raw.path.lstrip("/")
        d["query_string"] = raw.query_string
        d["remote_addr"] = raw.remote_addr
        d["shallow"] = False
        return self

    @property
    def environ(self) -> dict[str, t.Any]:
        d = self.__dict__
        env = d.get("_environ")
        if env is None:
            env = d["_environ"] = self._build_environ()
        return env  # type: ignore[no-any-return]

    @environ.setter
    def environ(self, value: dict[str, t.Any]) -> None:
        self.__dict__["_environ"] = value

    def _build_environ(self) -> dict[str, t.Any]:
        raw = self._raw
        assert raw is not None
        host, port = raw.server
        body = raw.body
        env: dict[str, t.Any] = {
            "REQUEST_METHOD": raw.method,
            "SCRIPT_NAME": "",
            "PATH_INFO": _wsgi_path(raw.path),
            "QUERY_STRING": raw.query_string.decode("latin-1"),
            "RAW_URI": raw.raw_uri,
            "REQUEST_URI": raw.raw_uri,
            "SERVER_NAME": host,
            "SERVER_PORT": str(port),
            "SERVER_PROTOCOL": raw.http_version,
            "SERVER_SOFTWARE": "bustapi",
            "REMOTE_ADDR": raw.remote_addr,
            "REMOTE_PORT": raw.remote_port,
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": raw.scheme,
            "wsgi.input": BytesIO(body if body is not None else b""),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            # Rust de-chunked and bounded the body: Werkzeug may read it to the end.
            "wsgi.input_terminated": True,
            "werkzeug.request": self,
        }
        for name, value in raw.headers:
            key = name.upper().replace("-", "_")
            if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                env[key] = value
            else:
                env["HTTP_" + key] = value
        return env

    @cached_property
    def headers(self) -> Headers:
        raw = self._raw
        assert raw is not None
        headers = Headers()
        headers._list = raw.headers  # type: ignore[attr-defined]
        return headers

    def close(self) -> None:
        if "files" in self.__dict__:  # nothing to close unless files were parsed
            super().close()  # type: ignore[misc]

    @cached_property
    def stream(self) -> t.IO[bytes]:
        raw = self._raw
        if raw is None:  # built from an environ: Werkzeug's own stream
            return flask.Request.stream.fget(self)  # type: ignore[no-any-return]
        if self.shallow:  # type: ignore[attr-defined]
            raise RuntimeError(
                "This request was created with 'shallow=True', reading"
                " from the input stream is disabled."
            )
        body = raw.body
        limit = self.max_content_length  # type: ignore[attr-defined]
        if body is None or (limit is not None and len(body) > limit):
            raise RequestEntityTooLarge()
        return BytesIO(body)


class Request(RawRequestMixin, flask.Request):
    """`flask.Request`, built lazily from the engine's parsed request when served by BustAPI."""


_raw_classes: dict[type[t.Any], type[t.Any]] = {Request: Request}


def raw_request_class(cls: type[t.Any]) -> type[t.Any]:
    """The class to build from a `RawRequest` for an app whose `request_class` is `cls`: `cls`
    itself when it already knows how, else a subclass mixing the knowledge in (so an app's own
    `flask.Request` subclass keeps working, properties and all)."""
    found = _raw_classes.get(cls)
    if found is None:
        if issubclass(cls, RawRequestMixin):
            found = cls
        else:
            found = type(cls.__name__, (RawRequestMixin, cls), {"__module__": cls.__module__})
        _raw_classes[cls] = found
    return found
