"""`BustAPI`: a `flask.Flask` whose requests are served by the engine's dispatch.

The application object is Flask's own — decorators, blueprints, config, error-handler lookup,
Jinja, extensions — so compatibility comes by construction. What changes is the request path:
`wsgi_app` (the WSGI entry: test client, gunicorn, middleware) and the Rust server both go
through `bustapi.dispatch`, never through Flask's original `wsgi_app`/`full_dispatch_request`.
"""

from __future__ import annotations

import threading
import typing as t
from collections.abc import Callable, Coroutine
from itertools import chain
from urllib.parse import quote as _url_quote

import flask
from flask.globals import _cv_request
from flask.json.provider import DefaultJSONProvider
from flask.testing import FlaskClient
from werkzeug.routing import Map, Rule

from . import aio
from .ctx import RequestContext
from .json import JSONProvider
from .urls import request_url
from .wrappers import Request

if t.TYPE_CHECKING:
    from .dispatch import Dispatcher


class CountingMap(Map):
    """Werkzeug's `Map`, counting the rules added: the engine checks on every request whether
    its frozen copy of the map is current, and a counter makes that O(1) (Werkzeug's
    `Map._rules` builds a list of every rule each time it is read)."""

    _bustapi_added = 0

    def add(self, rulefactory: t.Any) -> None:
        try:
            super().add(rulefactory)
        finally:
            self._bustapi_added += 1


_counting: dict[type[Map], type[CountingMap]] = {Map: CountingMap}


def count_rules(url_map: Map) -> None:
    """Make `url_map` (a map made before the app was adopted, or of the app's own `Map`
    class) count its rules, in place, as `adopt` does for the app; left alone if it cannot."""
    if isinstance(url_map, CountingMap):
        return
    cls = type(url_map)
    found = _counting.get(cls)
    if found is None:
        namespace = {"__module__": cls.__module__, "__qualname__": cls.__qualname__}
        found = t.cast("type[CountingMap]", type(cls.__name__, (cls, CountingMap), namespace))
        _counting[cls] = found
    try:
        url_map.__class__ = found
    except TypeError:  # a map class with __slots__ or a layout of its own: counted the slow way
        pass


class BustAPI(flask.Flask):
    """A Flask application served by BustAPI's engine. Use it exactly like `flask.Flask`.

    `app.run()` is Flask's own: it ends in `werkzeug.serving.run_simple`, which `bustapi.serving`
    extends to serve BustAPI apps on the engine (see `bustapi.serving.run_simple`).
    """

    request_class = Request
    url_map_class = CountingMap
    json_provider_class = JSONProvider

    _bustapi_dispatcher: Dispatcher | None = None
    _bustapi_lock = threading.Lock()

    # -- the engine's dispatch -------------------------------------------------------------

    def url_map_version(self) -> tuple[int, int]:
        """Changes whenever a rule is added to (or the map replaced on) the app."""
        m = self.url_map
        if isinstance(m, CountingMap):
            return (id(m), m._bustapi_added)
        return (id(m), -len(m._rules))  # a map of the app's own class: counted the slow way

    def bustapi_dispatcher(self) -> Dispatcher:
        """The dispatcher for the current URL map (rebuilt, with its Rust router, if the map
        changed)."""
        d = self._bustapi_dispatcher
        if d is not None and d.is_current():
            return d
        with self._bustapi_lock:
            d = self._bustapi_dispatcher
            if d is None or not d.is_current():
                from .dispatch import Dispatcher
                from .routing import compile_router

                # The Rust router assumes the map's default subdomain (Werkzeug's matching
                # handles subdomain matching).
                router = None if self.subdomain_matching else compile_router(self.url_map)
                # The router numbers rules in its own (matching) order; Rust answers by index.
                rules = (
                    list(router.rules) if router is not None else list(self.url_map.iter_rules())
                )
                d = Dispatcher(self, router, t.cast("list[Rule]", rules))
                self._bustapi_dispatcher = d
        return d

    def wsgi_app(
        self, environ: dict[str, t.Any], start_response: t.Callable[..., t.Any]
    ) -> t.Iterable[bytes]:
        """The WSGI application, on the engine's dispatch. Wrap it with middleware as usual
        (`app.wsgi_app = ProxyFix(app.wsgi_app)`); the server then serves through it."""
        return self.bustapi_dispatcher().handle_wsgi(environ, start_response)

    def full_dispatch_request(self) -> flask.Response:
        return self.bustapi_dispatcher().full_dispatch_request()

    def request_context(self, environ: dict[str, t.Any]) -> RequestContext:
        return RequestContext(self, environ)

    def process_response(self, response: flask.Response) -> flask.Response:
        ctx = _cv_request.get()
        for func in ctx._after_request_functions:
            response = self.ensure_sync(func)(response)
        if self.after_request_funcs:
            for name in chain(ctx.request.blueprints, (None,)):
                if name in self.after_request_funcs:
                    for func in reversed(self.after_request_funcs[name]):
                        response = self.ensure_sync(func)(response)
        if isinstance(ctx, RequestContext):
            session = ctx._opened_session
            if session is None and ctx.session_needs_saving():
                session = ctx.open_session()
        else:
            session = ctx._session
        if session is not None and not self.session_interface.is_null_session(session):
            self.session_interface.save_session(self, session, response)
        return response

    def url_for(
        self,
        /,
        endpoint: str,
        *,
        _anchor: str | None = None,
        _method: str | None = None,
        _scheme: str | None = None,
        _external: bool | None = None,
        **values: t.Any,
    ) -> str:
        """Flask's `url_for`; inside a request the URL is built in Rust from the engine's route
        table when Werkzeug's default building is all that would take part (see
        `bustapi.urls`)."""
        if type(endpoint) is str:
            url = request_url(self, endpoint, values, _method, _scheme, _external)
            if url is not None:
                if _anchor is not None:
                    url = f"{url}#{_url_quote(_anchor, safe=_ANCHOR_SAFE)}"
                return url
        return super().url_for(
            endpoint,
            _anchor=_anchor,
            _method=_method,
            _scheme=_scheme,
            _external=_external,
            **values,
        )

    # -- async -----------------------------------------------------------------------------

    def async_to_sync(
        self, func: Callable[..., Coroutine[t.Any, t.Any, t.Any]]
    ) -> Callable[..., t.Any]:
        """Run coroutine functions on the engine's event loop (no `asgiref` needed)."""

        def run(*args: t.Any, **kwargs: t.Any) -> t.Any:
            return aio.run_sync(func(*args, **kwargs))

        return run

    # -- testing ---------------------------------------------------------------------------

    def test_client(self, use_cookies: bool = True, **kwargs: t.Any) -> FlaskClient:
        """Flask's test client; with ``BUSTAPI_TEST_TRANSPORT=http`` its requests go over a real
        server on 127.0.0.1 (see `bustapi.testing`)."""
        from .testing import client_class

        return client_class(self)(self, self.response_class, use_cookies=use_cookies, **kwargs)


# `App.url_for`'s quoting of `_anchor`.
_ANCHOR_SAFE = "%!#$&'()*+,/:;=?@"

_adopted: dict[type[flask.Flask], type[BustAPI]] = {}
#: Flask's own class, as bound when this module was imported (`bustapi.flask_patch` later rebinds
#: the name `flask.Flask` to `BustAPI`).
_FLASK = flask.Flask


def bustapi_class(cls: type[flask.Flask]) -> type[BustAPI]:
    """The BustAPI counterpart of a Flask (sub)class: `BustAPI` for `flask.Flask`, and for an
    app's own subclass one that puts BustAPI under it (the app's overrides still win)."""
    if issubclass(cls, BustAPI):
        return cls
    if cls is _FLASK:
        return BustAPI
    found = _adopted.get(cls)
    if found is None:
        namespace = {"__module__": cls.__module__, "__qualname__": cls.__qualname__}
        found = t.cast("type[BustAPI]", type(cls.__name__, (cls, BustAPI), namespace))
        _adopted[cls] = found
    return found


def adopt(app: flask.Flask) -> BustAPI:
    """Make an existing `flask.Flask` instance a `BustAPI` in place (it keeps its identity, its
    config, routes and extensions), so an app created before `bustapi.flask_patch` was imported
    is still served by the engine."""
    if not isinstance(app, BustAPI):
        if app.request_class is flask.Request:
            # The default class, not a choice of the app's: use the engine's subclass.
            app.__dict__.pop("request_class", None)
        app.__class__ = bustapi_class(type(app))
        if type(app.json) is DefaultJSONProvider:
            # Flask's default, not a choice of the app's: the same provider, Rust-accelerated.
            app.json.__class__ = JSONProvider
    return t.cast(BustAPI, app)


def _install_engine_server() -> None:
    from .serving import install_run_simple

    install_run_simple()


_install_engine_server()
