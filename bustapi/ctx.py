"""The request context of the engine: Flask's `RequestContext`, doing less up front.

It pushes the same context variables Flask's proxies read (`flask.globals._cv_app`,
`_cv_request`), so `request`, `session`, `g`, `current_app`, `url_for` and every extension keep
working. What it does lazily, and only when Flask's result would be the same:
- the URL adapter is bound on first use (`url_for`, `request.url_rule` from Werkzeug routing);
- the session is opened on first access, when the session interface is Flask's default one
  (which does nothing observable until then);
- routing comes from the Rust router, so no Werkzeug match runs;
- popping never builds the WSGI environ just to clear a back-reference in it.
"""

from __future__ import annotations

import sys
import typing as t

import flask
from flask.ctx import AppContext as FlaskAppContext
from flask.ctx import RequestContext as FlaskRequestContext
from flask.globals import _cv_app, _cv_request
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from flask.signals import (
    appcontext_popped,
    appcontext_pushed,
    appcontext_tearing_down,
    request_tearing_down,
)
from werkzeug.exceptions import HTTPException
from werkzeug.routing import MapAdapter

from .wrappers import from_raw

if t.TYPE_CHECKING:
    from ._core import RawRequest

_sentinel: t.Any = object()
# Flask's own method, bound at import (before `bustapi.flask_patch` rebinds `flask.Flask`).
FLASK_CREATE_URL_ADAPTER = flask.app.Flask.create_url_adapter
# `RequestContext._url_adapter` until the adapter is bound on first use.
UNBOUND_ADAPTER: t.Any = object()


class _GlobalsOnFirstRead:
    """`AppContext.g`: the app's `app_ctx_globals_class()` made the first time anything reads
    it (a view that never uses `g` never pays for it), then an ordinary instance attribute,
    which shadows this non-data descriptor."""

    def __get__(self, app_ctx: AppContext | None, owner: type[t.Any] | None = None) -> t.Any:
        if app_ctx is None:
            return self
        # `setdefault`: two threads reading it at once agree.
        return app_ctx.__dict__.setdefault("g", app_ctx.app.app_ctx_globals_class())


class AppContext(FlaskAppContext):
    """Flask's app context with a lazy `g`, for the dispatch's lean lane (which sets the
    other attributes directly, without `__init__`)."""

    g = t.cast(t.Any, _GlobalsOnFirstRead())


class _RequestOnFirstRead:
    """`RequestContext.request` for a context of the dispatch's lean lane, which leaves the
    instance attribute unset and `_pending_request` holding what to build it from: the
    `Request` is made the first time anything reads it, so a view that never does (`return
    "Hello"`) never pays for it. Built, it is an ordinary instance attribute, which shadows
    this non-data descriptor; every other context sets it up front."""

    def __get__(self, ctx: RequestContext | None, owner: type[t.Any] | None = None) -> t.Any:
        if ctx is None:
            return self
        pending = ctx._pending_request
        if pending is None:
            raise AttributeError("request")
        cls, raw, rule, view_args = pending
        request = from_raw(cls, raw)
        request.json_module = ctx.app.json
        request.url_rule = rule
        request.view_args = view_args
        # `setdefault`: two threads reading it at once (a view and one it started) agree.
        request = ctx.__dict__.setdefault("request", request)
        ctx._pending_request = None
        return request


class RequestContext(FlaskRequestContext):
    """Flask's request context with a lazy URL adapter, a lazy session and, on the lean lane,
    a lazy request."""

    request = t.cast(t.Any, _RequestOnFirstRead())
    # `(request class, RawRequest, rule, view args)` until the lean lane's request is built.
    _pending_request: tuple[t.Any, RawRequest, t.Any, dict[str, t.Any]] | None = None

    def __init__(
        self,
        app: flask.Flask,
        environ: dict[str, t.Any] | None,
        request: flask.Request | None = None,
        session: SessionMixin | None = None,
        *,
        routed: bool = False,
    ) -> None:
        self.app = app
        if request is None:
            request = app.request_class(environ or {})
            request.json_module = app.json
        self.request = request
        self.flashes = None
        self._opened_session = session
        self._after_request_functions = []
        self._cv_tokens = []
        # Rust already matched the URL (request.url_rule/view_args/routing_exception are set).
        self._routed = routed
        self._lazy_session = type(app.session_interface) is SecureCookieSessionInterface
        if routed and _adapter_may_wait(app):
            self._url_adapter = UNBOUND_ADAPTER
        else:
            self._url_adapter = _eager_url_adapter(app, self.request)

    @classmethod
    def for_request(cls, app: flask.Flask, request: flask.Request, routed: bool) -> RequestContext:
        """`RequestContext(app, None, request, routed=...)` for the engine's hot path: the same
        state, set directly."""
        self = cls.__new__(cls)
        self.app = app
        self.request = request
        self.flashes = None
        self._opened_session = None
        self._after_request_functions = []
        self._cv_tokens = []
        self._routed = routed
        self._lazy_session = type(app.session_interface) is SecureCookieSessionInterface
        if routed and _adapter_may_wait(app):
            self._url_adapter = UNBOUND_ADAPTER
        else:
            self._url_adapter = _eager_url_adapter(app, request)
        return self

    @property
    def url_adapter(self) -> MapAdapter | None:
        adapter = self._url_adapter
        if adapter is UNBOUND_ADAPTER:
            adapter = None
            try:
                adapter = self.app.create_url_adapter(self.request)
            except HTTPException as e:
                if self.request.routing_exception is None:
                    self.request.routing_exception = e
            self._url_adapter = adapter
        return adapter  # type: ignore[no-any-return]

    @url_adapter.setter
    def url_adapter(self, value: MapAdapter | None) -> None:
        self._url_adapter = value

    @property
    def session(self) -> SessionMixin:
        s = self._opened_session
        if s is None:
            if not self._cv_tokens:
                raise AssertionError("The session has not yet been opened.")
            s = self.open_session()
        s.accessed = True
        return s

    def open_session(self) -> SessionMixin:
        """Open the session now (Flask opens it on push; we wait until someone needs it)."""
        session_interface = self.app.session_interface
        s = session_interface.open_session(self.app, self.request)
        if s is None:
            s = session_interface.make_null_session(self.app)
        self._opened_session = s
        return s

    # Flask's own attribute (read by extensions and tests): opening on first read keeps it
    # truthful while the engine's fast path checks `_opened_session` and opens nothing.
    @property
    def _session(self) -> SessionMixin | None:
        s = self._opened_session
        if s is None and self._cv_tokens:
            s = self.open_session()
        return s

    @_session.setter
    def _session(self, value: SessionMixin | None) -> None:
        self._opened_session = value

    def session_needs_saving(self) -> bool:
        """Whether a never-opened session would still be saved by Flask: a permanent session
        cookie is refreshed on every request when `SESSION_REFRESH_EACH_REQUEST` is set."""
        if self._opened_session is not None:
            return False
        request = self.request
        raw = getattr(request, "_raw", None)
        # Request headers are immutable in Flask (EnvironHeaders): what arrived is what counts.
        # (`"Cookie" in headers` raises and catches a KeyError when the header is missing.)
        if raw is not None:
            if not raw.has_cookie:
                return False
        elif "HTTP_COOKIE" not in request.environ:
            return False
        app = self.app
        return bool(
            app.config["SESSION_REFRESH_EACH_REQUEST"]
            and app.secret_key is not None
            and app.config["SESSION_COOKIE_NAME"] in request.cookies
        )

    def push(self) -> None:
        app = self.app
        app_ctx = _cv_app.get(None)
        if app_ctx is None or app_ctx.app is not app:
            app_ctx = app.app_context()
            if type(app_ctx) is FlaskAppContext:
                # AppContext.push, minus the signal send when nobody listens.
                app_ctx._cv_tokens.append(_cv_app.set(app_ctx))
                if appcontext_pushed.receivers:
                    appcontext_pushed.send(app, _async_wrapper=app.ensure_sync)
            else:
                app_ctx.push()
        else:
            app_ctx = None
        self._cv_tokens.append((_cv_request.set(self), app_ctx))
        if self._opened_session is None and not self._lazy_session:
            self.open_session()
        if not self._routed and self.url_adapter is not None:
            self._routed = True
            self.match_request()

    def pop(self, exc: BaseException | None = _sentinel) -> None:
        clear_request = len(self._cv_tokens) == 1
        try:
            if clear_request:
                if exc is _sentinel:
                    exc = sys.exc_info()[1]
                app = self.app
                if app.teardown_request_funcs or request_tearing_down.receivers:
                    app.do_teardown_request(exc)
                # (A request the lean lane never built has nothing to close.)
                if self._pending_request is None:
                    request_close = getattr(self.request, "close", None)
                    if request_close is not None:
                        request_close()
        finally:
            ctx = _cv_request.get()
            token, app_ctx = self._cv_tokens.pop()
            _cv_request.reset(token)
            if clear_request and getattr(ctx, "_pending_request", None) is None:
                d = ctx.request.__dict__
                env = d.get("_environ") or d.get("environ")
                if env is not None:
                    env["werkzeug.request"] = None
            if app_ctx is not None:
                _pop_app_context(app_ctx, exc)
            if ctx is not self:
                raise AssertionError(f"Popped wrong request context. ({ctx!r} instead of {self!r})")

    def copy(self) -> RequestContext:
        return self.__class__(
            self.app,
            environ=self.request.environ,
            request=self.request,
            session=self._opened_session,
        )


def _pop_app_context(app_ctx: FlaskAppContext, exc: BaseException | None) -> None:
    """`AppContext.pop`, minus teardown and signal sends when there is nobody to call."""
    if type(app_ctx) is not FlaskAppContext and type(app_ctx) is not AppContext:
        app_ctx.pop(exc)
        return
    app = app_ctx.app
    try:
        if len(app_ctx._cv_tokens) == 1:
            if exc is _sentinel:
                exc = sys.exc_info()[1]
            if app.teardown_appcontext_funcs or appcontext_tearing_down.receivers:
                app.do_teardown_appcontext(exc)
    finally:
        ctx = _cv_app.get()
        _cv_app.reset(app_ctx._cv_tokens.pop())
    if ctx is not app_ctx:
        raise AssertionError(f"Popped wrong app context. ({ctx!r} instead of {app_ctx!r})")
    if appcontext_popped.receivers:
        appcontext_popped.send(app, _async_wrapper=app.ensure_sync)


def _eager_url_adapter(app: flask.Flask, request: flask.Request) -> MapAdapter | None:
    """Flask's `RequestContext.__init__` step: the adapter now, a failure (a bad host, say)
    kept as the request's routing exception, as Flask keeps it."""
    try:
        return app.create_url_adapter(request)
    except HTTPException as e:
        request.routing_exception = e
        return None


def _adapter_may_wait(app: flask.Flask) -> bool:
    """Flask binds the URL adapter eagerly; waiting is invisible unless binding can fail
    (`TRUSTED_HOSTS`) or the app customised it."""
    return (
        app.config["TRUSTED_HOSTS"] is None
        and type(app).create_url_adapter is FLASK_CREATE_URL_ADAPTER
    )
