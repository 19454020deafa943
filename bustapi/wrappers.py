"""`Request` and `Response`: Flask's own classes, fed from the Rust-parsed request.

`Request` *is* a `flask.Request` (isinstance holds, every Werkzeug property works). Built by the
engine from a `bustapi._core.RawRequest`, it reads nothing until asked: headers, body and the WSGI
`environ` are materialised on first access.
"""

from __future__ import annotations

import inspect
import sys
import typing as t
from io import BytesIO

import flask
from werkzeug.datastructures import FileStorage, Headers, MultiDict
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import FormDataParser
from werkzeug.http import parse_options_header
from werkzeug.utils import cached_property
from werkzeug.wrappers import Request as WerkzeugRequest

from . import _core

if t.TYPE_CHECKING:
    from ._core import RawRequest

__all__ = ["Request", "Response", "from_raw", "raw_request_class"]

Response = flask.Response


_new = object.__new__


def _part_charset(headers: Headers) -> str:
    """Werkzeug's `MultiPartParser.get_part_charset`."""
    content_type = headers.get("content-type")
    if content_type:
        charset = parse_options_header(content_type)[1].get("charset", "").lower()
        if charset in {"ascii", "us-ascii", "utf-8", "iso-8859-1"}:
            return charset
    return "utf-8"


def _wsgi_path(path: str) -> str:
    # PEP 3333: PATH_INFO is the UTF-8 bytes of the path, as latin-1 code points.
    return path.encode("utf-8", "surrogateescape").decode("latin-1")


def from_raw(cls: type[t.Any], raw: RawRequest) -> t.Any:
    """A `cls` (a `raw_request_class`) for the engine's parsed request, without an environ.

    A module function rather than a classmethod: it runs for every request, and calling it
    costs a third less (no bound method to make)."""
    self = _new(cls)
    self._raw = raw
    # One call into Rust for everything Werkzeug's __init__ would set (the path is rooted).
    # Plain attribute stores, as Werkzeug's __init__ makes them: a subclass's property setter
    # runs, and CPython keeps the values inline (no instance dict built).
    (
        self.method,
        self.scheme,
        self.server,
        self.path,
        self.query_string,
        self.remote_addr,
    ) = raw.fields()
    self.root_path = ""
    self.shallow = False
    return self


class RawRequestMixin:
    """What a `flask.Request` needs to be built from a `RawRequest` instead of an environ."""

    _raw: RawRequest | None = None
    # Set once the environ is built (a class default, so checking costs no instance dict).
    _environ: dict[str, t.Any] | None = None

    @property
    def environ(self) -> dict[str, t.Any]:
        env = self._environ
        if env is None:
            env = self._environ = self._build_environ()
        return env

    @environ.setter
    def environ(self, value: dict[str, t.Any]) -> None:
        self._environ = value

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
    def args(self) -> MultiDict[str, str]:
        """Werkzeug's `args`, the query string parsed in Rust (the same pairs as its
        `parse_qsl(..., keep_blank_values=True, errors="werkzeug.url_quote")`)."""
        qs = self.query_string  # type: ignore[attr-defined]
        pairs = _core.parse_qsl(qs) if type(qs) is bytes else None
        if pairs is None:
            return WerkzeugRequest.args.fget(self)  # type: ignore[attr-defined,no-any-return]
        return self.parameter_storage_class(pairs)  # type: ignore[attr-defined,no-any-return]

    @cached_property
    def headers(self) -> Headers:
        raw = self._raw
        assert raw is not None
        headers = Headers()
        headers._list = raw.headers
        return headers

    def _load_form_data(self) -> None:
        """Forms from the parts Rust already parsed (Werkzeug's result, without its pure-Python
        parser); Werkzeug's own parsing when the app customised it or Rust left the body alone."""
        d = self.__dict__
        raw = self._raw
        if "form" in d or raw is None or not self._rust_form_parsing():
            super()._load_form_data()  # type: ignore[misc]
            return
        parts = raw.multipart
        if parts is None:
            super()._load_form_data()  # type: ignore[misc]
            return
        stream = self._get_stream_for_parsing()  # type: ignore[attr-defined]  # 413 if too large
        max_parts = self.max_form_parts  # type: ignore[attr-defined]
        max_memory = self.max_form_memory_size  # type: ignore[attr-defined]
        if max_parts is not None and len(parts) > max_parts:
            raise RequestEntityTooLarge()
        fields: list[tuple[str, str]] = []
        files: list[tuple[str, FileStorage]] = []
        for name, filename, header_list, data in parts:
            headers = Headers(header_list)
            if filename is None:
                if max_memory is not None and len(data) > max_memory:
                    raise RequestEntityTooLarge()
                fields.append((name, data.decode(_part_charset(headers), "replace")))
            else:
                files.append((name, FileStorage(BytesIO(data), filename, name, headers=headers)))
        cls = self.parameter_storage_class  # type: ignore[attr-defined]
        stream.read()  # consumed, as after Werkzeug's parsing
        d["stream"], d["form"], d["files"] = stream, cls(fields), cls(files)

    def _rust_form_parsing(self) -> bool:
        cls = type(self)
        return (
            self.mimetype == "multipart/form-data"  # type: ignore[attr-defined]
            and cls.form_data_parser_class is FormDataParser  # type: ignore[attr-defined]
            and cls._get_file_stream is WerkzeugRequest._get_file_stream  # type: ignore[attr-defined]
        )

    def close(self) -> None:
        if "files" in self.__dict__:  # nothing to close unless files were parsed
            super().close()  # type: ignore[misc]

    @cached_property
    def stream(self) -> t.IO[bytes]:
        raw = self._raw
        if raw is None:  # built from an environ: Werkzeug's own stream
            return WerkzeugRequest.stream.fget(self)  # type: ignore[attr-defined,no-any-return]
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
            # What the app's class defines itself (say its own `args`) wins over the mixin's,
            # as it would over Flask's.
            own = {
                name: inspect.getattr_static(cls, name)
                for name in vars(RawRequestMixin)
                if not name.startswith("__")
                and name != "_raw"
                and inspect.getattr_static(cls, name, None)
                is not inspect.getattr_static(flask.Request, name, None)
            }
            found = type(
                cls.__name__, (RawRequestMixin, cls), {"__module__": cls.__module__, **own}
            )
        _raw_classes[cls] = found
    return found
