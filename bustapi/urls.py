"""`url_for` inside a request, built in Rust from the engine's route table.

Flask's `App.url_for` binds (or reuses) the request's `MapAdapter`, runs the `url_defaults`
functions, then Werkzeug's `MapAdapter.build` takes the map's lock, sorts candidate rules and
calls one compiled builder function per rule. When nothing of that can change the answer — no
`url_defaults` function, the adapter Flask would bind, no subdomains — the
same string comes from `Router.build`, the Rust port of `MapAdapter.build` over the rules the
engine already matches with (in a built service: the static route table). External URLs use the
request's bound adapter for the host and scheme, as Werkzeug does. Everything else, and
every case the Rust side is unsure of (no rule fits, a value only Python can convert), is
Flask's own `url_for`, so errors and `handle_url_build_error` stay Flask's.
"""

from __future__ import annotations

import typing as t

from flask.globals import _cv_request
from werkzeug.routing import MapAdapter

from .ctx import UNBOUND_ADAPTER, RequestContext

if t.TYPE_CHECKING:
    from .app import BustAPI


def request_url(
    app: BustAPI,
    endpoint: str,
    values: dict[str, t.Any],
    method: str | None,
    scheme: str | None,
    external: bool | None,
) -> str | None:
    """The URL `app.url_for(endpoint, _method=method, _scheme=scheme, _external=external,
    **values)` returns in the current request, or None when Flask's `url_for` has to build it
    (no `_anchor` here: the caller appends it)."""
    ctx = _cv_request.get(None)
    if ctx is None or not isinstance(ctx, RequestContext):
        return None
    if external is None:
        external = scheme is not None
    elif scheme is not None and not external:
        return None  # Flask raises ValueError
    dispatcher = app._bustapi_dispatcher
    if dispatcher is None or dispatcher.router is None or not dispatcher.is_current():
        return None
    if app.url_map.sort_parameters or not dispatcher.plain_url_defaults:
        return None
    request = ctx.request
    adapter = ctx.__dict__.get("_url_adapter")
    if adapter is UNBOUND_ADAPTER and not external:
        # Not bound yet, and a relative URL needs no more than Flask's `create_url_adapter`
        # would bind from the request: SCRIPT_NAME and the method.
        script_name: str = request.root_path
        default_method: str = request.method
    else:
        if adapter is UNBOUND_ADAPTER:
            adapter = ctx.url_adapter  # an external URL needs the bound host: bind it now
        if not (type(adapter) is MapAdapter and adapter.map is app.url_map):
            return None
        if adapter.subdomain != "":
            return None
        script_name = adapter.script_name
        default_method = adapter.default_method
    if endpoint[:1] == ".":
        blueprint = request.blueprint
        endpoint = f"{blueprint}{endpoint}" if blueprint is not None else endpoint[1:]
    if app.url_default_functions and _has_url_defaults(app.url_default_functions, endpoint):
        return None
    path = dispatcher.router.build(endpoint, values, method, default_method)
    if path is None:
        return None
    if not external:
        return f"{script_name.rstrip('/')}{path}"
    # `MapAdapter.build` with `force_external`: the scheme normalised to http/https.
    url_scheme = scheme if scheme is not None else adapter.url_scheme
    if url_scheme:
        url_scheme = "https" if url_scheme in ("https", "wss") else "http"
    prefix = f"{url_scheme}:" if url_scheme else ""
    return f"{prefix}//{adapter.server_name}{script_name[:-1]}{path}"


def _has_url_defaults(functions: t.Mapping[str | None, list[t.Any]], endpoint: str) -> bool:
    """Whether `App.inject_url_defaults` would call a function for `endpoint`: the app's, or
    those of the endpoint's blueprint and of each blueprint it is nested in."""
    if functions.get(None):
        return True
    blueprint = endpoint.rpartition(".")[0]
    while blueprint:
        if functions.get(blueprint):
            return True
        blueprint = blueprint.rpartition(".")[0]
    return False
