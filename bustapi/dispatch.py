"""The fast dispatch: Flask's request handling, observable behaviour intact, much less work.

Per request it does what `Flask.wsgi_app` + `full_dispatch_request` do — push the contexts,
`request_started`, URL value preprocessors and `before_request` (app, then blueprints), the view,
error handlers (`handle_user_exception`, `handle_exception`), `after_this_request` and
`after_request`, session save, `request_finished`, teardown — skipping each step only when it
has nothing to do, and turning the common return values (`str`, `bytes`, `dict`, `list`) into
bytes without building a `Response` when no hook could see one.

Two entries share it: `handle_raw` (a request parsed by the Rust server) and `handle_wsgi` (the
WSGI entry: test client, gunicorn, middleware).
"""

from __future__ import annotations

import contextvars
import inspect
import sys
import typing as t

import flask
from flask.globals import _cv_app, _cv_request
from flask.json.provider import DefaultJSONProvider
from flask.sessions import SecureCookieSessionInterface
from flask.signals import (
    appcontext_popped,
    appcontext_pushed,
    appcontext_tearing_down,
    request_finished,
    request_started,
    request_tearing_down,
)
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Rule

from . import _core, aio
from .ctx import (
    FLASK_CREATE_URL_ADAPTER,
    UNBOUND_ADAPTER,
    AppContext,
    RequestContext,
)
from .json import fast_provider
from .wrappers import RawRequestMixin, from_raw, raw_request_class

if t.TYPE_CHECKING:
    from ._core import RawRequest, Router
    from .app import BustAPI

# What the Rust side accepts back (see runtime/src/py/response.rs).
Parts = t.Union[bytes, tuple[t.Union[int, str], list[tuple[str, str]], t.Any]]

_HEAD_ONLY_STATUS = frozenset((204, 304))
# The receivers that keep a request off the lean lane, and those its pop would notify. Blinker
# changes a signal's `receivers` dict in place and never replaces it, so one `any()` over the
# dicts reads them all.
_LEAN_SIGNALS = (
    request_started.receivers,
    request_tearing_down.receivers,
    appcontext_pushed.receivers,
    appcontext_popped.receivers,
)
_POP_SIGNALS = (
    request_tearing_down.receivers,
    appcontext_tearing_down.receivers,
    appcontext_popped.receivers,
)
_RAW_CLOSE = RawRequestMixin.close
_new = object.__new__
_Response = flask.Response
# What `DefaultJSONProvider.response` passes to `dumps`.
_PRETTY: dict[str, t.Any] = {"indent": 2}
_COMPACT: dict[str, t.Any] = {"separators": (",", ":")}


def _no_done(result: t.Any, exc: BaseException | None) -> None:
    raise AssertionError("pending dispatch without a completion")


class _Pending:
    """Returned by the view step when the view is a coroutine scheduled on the engine loop."""

    __slots__ = ("coro", "done")

    def __init__(self, coro: t.Coroutine[t.Any, t.Any, t.Any]) -> None:
        self.coro = coro
        self.done: t.Callable[[t.Any, BaseException | None], None] = _no_done


class Dispatcher:
    """The per-app dispatch state: the frozen rules, the Rust router, cached decisions."""

    def __init__(self, app: BustAPI, router: Router | None, rules: list[Rule]) -> None:
        self.app = app
        self.router = router
        self.rules = rules
        from .app import _FLASK as base
        from .app import BustAPI, CountingMap, count_rules

        # Every dispatcher counts its map's rules, so `is_current` is O(1) (a built service
        # makes its dispatcher without `bustapi_dispatcher`).
        count_rules(app.url_map)
        self.url_map = app.url_map
        self.counted = isinstance(self.url_map, CountingMap)
        self.rules_version = app.url_map_version()
        cls = type(app)

        # Overridden pipeline methods are honoured by going the Flask way for that step.
        self.plain_finalize = (
            cls.make_response is base.make_response
            and cls.process_response is BustAPI.process_response
        )
        self.plain_preprocess = cls.preprocess_request is base.preprocess_request
        self.plain_dispatch_request = cls.dispatch_request is base.dispatch_request
        # `bustapi.urls` builds URLs in Rust only if no override could change them.
        self.plain_url_defaults = cls.inject_url_defaults is base.inject_url_defaults
        # An app class overriding full_dispatch_request gets it called, as Flask's wsgi_app does.
        self.custom_full_dispatch = cls.full_dispatch_request is not BustAPI.full_dispatch_request
        self.plain_pipeline = (
            self.plain_preprocess
            and self.plain_dispatch_request
            and not self.custom_full_dispatch
            and cls.app_context is base.app_context
            and cls.handle_user_exception is base.handle_user_exception
        )
        self._is_async: dict[t.Any, bool] = {}
        self._request_class: t.Any = app.request_class
        self._raw_request_class: t.Any = raw_request_class(app.request_class)
        self._json_mimetype: t.Any = None
        self._json_headers: list[tuple[str, str]] = []

    # -- entries ---------------------------------------------------------------------------

    def is_current(self) -> bool:
        """Whether the app's URL map is still the one this dispatcher froze."""
        m = self.app.url_map
        if m is not self.url_map:
            return False
        if self.counted:
            return m._bustapi_added == self.rules_version[1]  # type: ignore[attr-defined,no-any-return]
        return self.rules_version == self.app.url_map_version()

    def handle_raw(self, raw: RawRequest, reroute: bool = False) -> Parts | None:
        """Called by a Rust worker thread for each request. `None`: an async view is running
        on the engine loop and will answer through `raw.respond`. `reroute`: the request was
        matched against an older URL map; match it again."""
        if not reroute and self.router is not None:
            route = raw.route
            if route is not None and route[0] == "match":
                # The lean lane: nothing but the view would run for this request (no hooks,
                # no signal receivers, no overridden pipeline step, a sync view; an automatic
                # OPTIONS leaves it in `_handle_lean`). Every condition is re-read per request:
                # apps and signals change.
                app = self.app
                if (
                    self.plain_pipeline
                    and not app.before_request_funcs
                    and not app.url_value_preprocessors
                    and not app.teardown_request_funcs
                    and not any(_LEAN_SIGNALS)
                    and app.request_class is self._request_class
                    and type(app.session_interface) is SecureCookieSessionInterface
                ):
                    rule = self.rules[route[1]]
                    view = app.view_functions.get(rule.endpoint)
                    is_async = self._is_async.get(view)
                    if is_async is None:
                        is_async = self._is_async[view] = inspect.iscoroutinefunction(view)
                    if not is_async:
                        context = contextvars.copy_context()
                        return context.run(self._handle_lean, raw, rule, route[2], view, context)
        context = contextvars.copy_context()
        result = context.run(self._handle_raw, raw, reroute, context)
        if type(result) is _Pending:
            # Started only now that this thread has left `context`: the task runs in it.
            aio.start_task(result.coro, context, result.done)
            return None
        return result  # type: ignore[return-value]

    def _handle_lean(
        self,
        raw: RawRequest,
        rule: Rule,
        view_args: dict[str, t.Any],
        view: t.Any,
        context: contextvars.Context,
    ) -> Parts:
        """`_handle_raw` for a request where only the view runs (see `handle_raw`): the same
        contexts pushed and popped the same way, the same error handling, without the steps
        that have nothing to do.

        One frame on purpose: at this size a Python call is about 3% of a hello-world
        request (callgrind: ~1,000 of ~34,000 instructions), so the push and the pop that
        `RequestContext` would do are written out here, set directly. The `Request` itself is
        built when something first reads it (see `ctx._RequestOnFirstRead`)."""
        app = self.app
        config = app.config
        flask_adapter = type(app).create_url_adapter is FLASK_CREATE_URL_ADAPTER
        if (
            # Binding the URL adapter may fail (`TRUSTED_HOSTS`, an app's own
            # `create_url_adapter`): Flask then answers the routing exception, not the view.
            not flask_adapter
            or config["TRUSTED_HOSTS"] is not None
            or (raw.method == "OPTIONS" and getattr(rule, "provide_automatic_options", False))
        ):
            return self._handle_raw(raw, False, context)  # type: ignore[return-value]  # not async
        # `RequestContext.for_request(app, request, routed=True).push()` where no app context
        # is active. `handle_raw` checked that `app_context` is Flask's, that no
        # `appcontext_pushed` receiver listens and that the session interface is Flask's
        # default (opened lazily). Attribute stores, not `__dict__` items: CPython then keeps
        # the values inline, without building an instance dict.
        ctx = _new(RequestContext)
        ctx.app = app
        ctx._pending_request = (self._raw_request_class, raw, rule, view_args)
        ctx.flashes = None
        ctx._opened_session = None
        ctx._after_request_functions = []
        ctx._routed = True
        ctx._lazy_session = True
        ctx._url_adapter = UNBOUND_ADAPTER  # bound on first use: binding cannot fail here
        app_ctx = _new(AppContext)  # `AppContext.__init__`, `g` made on first read
        app_ctx.app = app
        if config["SERVER_NAME"] is None:
            app_ctx.url_adapter = None  # Flask's `create_url_adapter(None)` without a server name
        else:
            app_ctx.url_adapter = app.create_url_adapter(None)
        app_tokens: list[t.Any] = [_cv_app.set(app_ctx)]
        app_ctx._cv_tokens = app_tokens
        tokens: list[t.Any] = [(_cv_request.set(ctx), app_ctx)]
        ctx._cv_tokens = tokens
        app._got_first_request = True

        error: BaseException | None = None
        parts: Parts | None = None
        try:
            try:
                try:
                    rv = view(**view_args)
                except Exception as e:
                    rv = app.handle_user_exception(e)
                parts = self._finalize(ctx, raw, rv, context)
            except Exception as e:
                error = e
                parts = self._parts(app.handle_exception(e), ctx.request, context)
            except BaseException:
                error = sys.exc_info()[1]
                raise
        finally:
            if error is not None and app.should_ignore_error(error):
                error = None
            built = ctx._pending_request is None
            if (
                app.teardown_request_funcs
                or app.teardown_appcontext_funcs
                or any(_POP_SIGNALS)
                or len(tokens) != 1
                or len(app_tokens) != 1
                or (built and type(ctx.request).close is not _RAW_CLOSE)
            ):
                ctx.pop(error)  # something appeared that Flask's pop would call
            else:
                # `ctx.pop(error)` with nothing to call.
                if built:
                    request = ctx.request
                    if "files" in request.__dict__:
                        request.close()
                    env = request._environ
                    if env is not None:
                        env["werkzeug.request"] = None
                current = _cv_request.get()
                current_app_ctx = _cv_app.get()
                request_token = tokens.pop()[0]
                app_token = app_tokens.pop()
                # A buffered answer: the caller discards this Context next and nothing reads
                # its variables again, so only the tokens go (what stays observable, and what
                # keeps the contexts free of reference cycles). A streamed body still produces
                # chunks in it: reset, as Flask does.
                if not (type(parts) is bytes or (type(parts) is tuple and type(parts[2]) is bytes)):
                    _cv_request.reset(request_token)
                    _cv_app.reset(app_token)
                if current is not ctx:
                    raise AssertionError(
                        f"Popped wrong request context. ({current!r} instead of {ctx!r})"
                    )
                if current_app_ctx is not app_ctx:
                    raise AssertionError(
                        f"Popped wrong app context. ({current_app_ctx!r} instead of {app_ctx!r})"
                    )
        return parts

    def _handle_raw(
        self, raw: RawRequest, reroute: bool, context: contextvars.Context
    ) -> Parts | _Pending:
        app = self.app
        request_class = app.request_class
        if request_class is not self._request_class:
            self._request_class = request_class
            self._raw_request_class = raw_request_class(request_class)
        request = from_raw(self._raw_request_class, raw)
        request.json_module = app.json
        routed = False
        if self.router is not None:
            route = self.router.match(raw.path, raw.method) if reroute else raw.route
            routed = route is not None and self._apply_route(request, route)
        ctx = RequestContext.for_request(app, request, routed)
        error: BaseException | None = None
        pending = False
        try:
            try:
                ctx.push()
                if self.custom_full_dispatch:
                    return self._parts(app.full_dispatch_request(), request, context)
                rv = self._dispatch(ctx, request)
                if type(rv) is _Pending:
                    pending = True
                    rv.done = lambda result, exc: self._finish_async(
                        ctx, request, raw, context, result, exc
                    )
                    return rv
                return self._finalize(ctx, raw, rv, context)
            except Exception as e:
                error = e
                return self._parts(app.handle_exception(e), request, context)
            except BaseException:
                error = sys.exc_info()[1]
                raise
        finally:
            if not pending:
                if error is not None and app.should_ignore_error(error):
                    error = None
                ctx.pop(error)

    def _finish_async(
        self,
        ctx: RequestContext,
        request: flask.Request,
        raw: RawRequest,
        context: contextvars.Context,
        result: t.Any,
        exc: BaseException | None,
    ) -> None:
        app = self.app
        error: BaseException | None = None
        parts: Parts
        try:
            try:
                if exc is not None:
                    if not isinstance(exc, Exception):
                        raise exc
                    rv = app.handle_user_exception(exc)
                else:
                    rv = result
                parts = self._finalize(ctx, raw, rv, context)
            except Exception as e:
                error = e
                parts = self._parts(app.handle_exception(e), request, context)
        except BaseException as e:  # noqa: BLE001 - the client still gets an answer
            error = e
            parts = (500, [], b"Internal Server Error")
        finally:
            if error is not None and app.should_ignore_error(error):
                error = None
            ctx.pop(error)
        raw.respond(parts)

    def handle_wsgi(
        self, environ: dict[str, t.Any], start_response: t.Callable[..., t.Any]
    ) -> t.Iterable[bytes]:
        """`Flask.wsgi_app` on the engine's dispatch."""
        app = self.app
        request = app.request_class(environ)
        request.json_module = app.json
        routed = False
        if self.router is not None and not request.root_path:
            routed = self._apply_route(request, self.router.match(request.path, request.method))
        ctx = RequestContext(app, environ, request, routed=routed)
        error: BaseException | None = None
        try:
            try:
                ctx.push()
                if self.custom_full_dispatch:
                    response = app.full_dispatch_request()
                else:
                    rv = self._dispatch(ctx, request, run_async=False)
                    response = self._finalize_response(ctx, request, rv)
            except Exception as e:
                error = e
                response = app.handle_exception(e)
            except BaseException:
                error = sys.exc_info()[1]
                raise
            return response(environ, start_response)
        finally:
            if "werkzeug.debug.preserve_context" in environ:
                environ["werkzeug.debug.preserve_context"](_cv_app.get())
                environ["werkzeug.debug.preserve_context"](_cv_request.get())
            if error is not None and app.should_ignore_error(error):
                error = None
            ctx.pop(error)

    def full_dispatch_request(self) -> flask.Response:
        """`Flask.full_dispatch_request` for code that calls it inside a pushed context."""
        ctx = t.cast(RequestContext, _cv_request.get())
        rv = self._dispatch(ctx, ctx.request, run_async=False)
        return self._finalize_response(ctx, ctx.request, rv)

    # -- steps -----------------------------------------------------------------------------

    def _apply_route(self, request: flask.Request, route: tuple[t.Any, ...]) -> bool:
        """Record the Rust router's answer on the request as Flask's `match_request` would.
        Returns False for redirects, left to Werkzeug so the URL is built exactly its way
        (host, `SERVER_NAME`, script root)."""
        kind = route[0]
        if kind == "match":
            request.url_rule = self.rules[route[1]]
            request.view_args = route[2]
        elif kind == "redirect":
            return False
        elif kind == "method_not_allowed":
            request.routing_exception = MethodNotAllowed(valid_methods=list(route[1]))
        else:
            request.routing_exception = NotFound()
        return True

    def _dispatch(
        self, ctx: RequestContext, request: flask.Request, run_async: bool = True
    ) -> t.Any:
        """`full_dispatch_request` up to the view's return value (or the error handler's)."""
        app = self.app
        app._got_first_request = True
        try:
            if request_started.receivers:
                request_started.send(app, _async_wrapper=app.ensure_sync)
            rv = None
            if app.url_value_preprocessors or app.before_request_funcs or not self.plain_preprocess:
                rv = app.preprocess_request()
            if rv is None:
                if not self.plain_dispatch_request:
                    return app.dispatch_request()
                if request.routing_exception is not None:
                    app.raise_routing_exception(request)
                rule = request.url_rule
                assert rule is not None
                if request.method == "OPTIONS" and getattr(
                    rule, "provide_automatic_options", False
                ):
                    return app.make_default_options_response()
                view = app.view_functions[rule.endpoint]
                view_args = request.view_args or {}
                is_async = self._is_async.get(view)
                if is_async is None:
                    is_async = self._is_async[view] = inspect.iscoroutinefunction(view)
                if is_async:
                    if run_async:
                        return _Pending(t.cast(t.Any, view)(**view_args))
                    return app.ensure_sync(view)(**view_args)
                return view(**view_args)
            return rv
        except Exception as e:
            return app.handle_user_exception(e)

    def _finalize(
        self,
        ctx: RequestContext,
        raw: RawRequest,
        rv: t.Any,
        context: contextvars.Context,
    ) -> Parts:
        """`finalize_request`, returning bytes for the engine; no `Response` object when no
        hook could observe it (nor a `Request`, on the lean lane, when nothing read it)."""
        rtype = type(rv)
        if rtype is str or rtype is bytes or rtype is dict or rtype is list or rtype is _Response:
            app = self.app
            if (
                not ctx._after_request_functions
                and ctx._opened_session is None
                and self.plain_finalize
                and not request_finished.receivers
                and (not app.after_request_funcs or not self._has_after_request(ctx.request))
                and app.response_class is _Response
                # (`session_needs_saving` is False without a cookie, the common case.)
                and not (raw.has_cookie and ctx.session_needs_saving())
            ):
                if rtype is str:
                    return rv.encode()  # type: ignore[no-any-return]
                if rtype is bytes:
                    return rv  # type: ignore[no-any-return]
                if rtype is _Response:
                    # make_response and process_response would return it unchanged.
                    return self._parts(rv, ctx.request, context)
                body = self._json_body(rv)
                if body is not None:
                    return (200, self._json_headers, body)
        request = ctx.request
        return self._parts(self._finalize_response(ctx, request, rv), request, context)

    def _finalize_response(
        self, ctx: RequestContext, request: flask.Request, rv: t.Any
    ) -> flask.Response:
        app = self.app
        response = app.make_response(rv)
        response = app.process_response(response)
        if request_finished.receivers:
            request_finished.send(app, _async_wrapper=app.ensure_sync, response=response)
        return response

    def _has_after_request(self, request: flask.Request) -> bool:
        funcs = self.app.after_request_funcs
        if funcs.get(None):
            return True
        return any(funcs.get(name) for name in request.blueprints)

    def _json_body(self, rv: t.Any) -> bytes | None:
        """The body `app.json.response(rv)` would have (headers in `_json_headers`), or None
        when the app's JSON provider is not Flask's default one."""
        app = self.app
        provider = app.json
        if not fast_provider(provider):
            return None
        provider = t.cast(DefaultJSONProvider, provider)
        compact = provider.compact
        pretty = compact is False or (compact is None and app.debug)
        mimetype = provider.mimetype
        if mimetype is not self._json_mimetype:
            self._json_headers = [("Content-Type", mimetype)]
            self._json_mimetype = mimetype
        if not pretty:
            body = _core.json_body(
                rv, ensure_ascii=bool(provider.ensure_ascii), sort_keys=bool(provider.sort_keys)
            )
            if body is not None:
                return body
            # Rust refused a value (a datetime, say): Flask's own encoder, rather than
            # `JSONProvider.dumps`, which would walk it in Rust a second time.
            return (DefaultJSONProvider.dumps(provider, rv, **_COMPACT) + "\n").encode()
        return (provider.dumps(rv, **_PRETTY) + "\n").encode()

    def _parts(
        self, response: flask.Response, request: flask.Request, context: contextvars.Context
    ) -> Parts:
        """A `Response` as (status, headers, body) — what `Response.__call__` would hand a WSGI
        server, without building an environ unless the response wants one. A streamed body
        produces its chunks in `context`, the one the request is handled in."""
        status = response.status_code
        if (
            not response.autocorrect_location_header
            and response.is_sequence
            and not response.direct_passthrough
            and 200 <= status
            and status not in _HEAD_ONLY_STATUS
            and request.method != "HEAD"
        ):
            # What get_wsgi_headers + get_app_iter amount to for an ordinary buffered
            # response (Content-Length is set with the data, or added by the server).
            try:
                chunks = t.cast(t.Any, response.response)
                if len(chunks) == 1 and type(chunks[0]) is bytes:
                    body = chunks[0]
                else:
                    body = b"".join(response.iter_encoded())
                return (response.status, list(response.headers), body)
            finally:
                response.close()
        if response.autocorrect_location_header:
            environ = request.environ
        else:
            environ = {"REQUEST_METHOD": request.method}
        headers = response.get_wsgi_headers(environ).to_wsgi_list()
        if request.method == "HEAD" or status in _HEAD_ONLY_STATUS or 100 <= status < 200:
            response.close()
            return (response.status, headers, b"")
        if response.is_sequence and not response.direct_passthrough:
            try:
                body = b"".join(response.iter_encoded())
            finally:
                response.close()
            return (response.status, headers, body)
        return (
            response.status,
            headers,
            _StreamedBody(response.get_app_iter(environ), context),
        )


class _StreamedBody:
    """A streamed response body, pulled chunk by chunk by whichever engine worker is free.

    Every chunk is produced in the `Context` the request was handled in, as a WSGI server
    iterates in the thread that called the app: `stream_with_context` pushes Flask's contexts
    when the view runs and pops them when the stream ends, and context-variable tokens can only
    be reset in the `Context` that made them."""

    __slots__ = ("_it", "_context", "_close")

    def __init__(self, iterable: t.Iterable[bytes], context: contextvars.Context) -> None:
        self._it = iter(iterable)
        self._context = context
        self._close = getattr(iterable, "close", None)

    def __iter__(self) -> _StreamedBody:
        return self

    def __next__(self) -> bytes:
        return self._context.run(next, self._it)

    def close(self) -> None:
        if self._close is not None:
            self._context.run(self._close)
