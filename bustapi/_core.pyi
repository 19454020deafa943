"""Type stub of the Rust extension module `bustapi._core`."""

from typing import Any, Literal, TypeAlias, final

from werkzeug.routing import Rule

from bustapi.routing import MapSpec

__all__ = [
    "__version__",
    "_panic",
    "RawRequest",
    "RouteTable",
    "Router",
    "Server",
    "CompiledTemplates",
    "_template_attr",
    "_template_call",
    "_template_filter",
    "_template_install_demo",
    "_template_item",
    "_template_loop",
    "_template_natives",
    "_template_op",
    "_template_out",
    "_template_slice",
    "_template_test",
    "check",
    "generate_project",
    "runtime_sources",
    "json_body",
    "json_dumps",
    "json_loads",
    "parse_qsl",
    "rules",
    "static_routes",
    "translate_templates",
]

__version__: str

_MatchTuple: TypeAlias = (
    tuple[Literal["match"], int, dict[str, Any]]
    | tuple[Literal["redirect"], str]
    | tuple[Literal["not_found"]]
    | tuple[Literal["method_not_allowed"], list[str]]
)

@final
class Router:
    """Werkzeug's matching of a frozen `url_map` (see `bustapi.routing.freeze_map`), in Rust.

    Raises `ValueError` (saying why) for a map the Rust router leaves to Werkzeug.
    """

    def __new__(cls, spec: MapSpec) -> Router: ...
    def match(self, path: str, method: str) -> _MatchTuple:
        """Match a decoded path like `MapAdapter.match(path, method)`.

        Returns `("match", rule_index, view_args)`, `("redirect", path)` (308, path relative to the
        script root, percent-encoded, without query string), `("not_found",)` or
        `("method_not_allowed", sorted_methods)`. View arguments are `int`, `float`, `str` or
        `uuid.UUID` values, plus the rule's defaults as given.
        """

    def allowed_methods(self, path: str) -> list[str]:
        """`MapAdapter.allowed_methods(path)`, sorted."""

    def build(
        self,
        endpoint: str,
        values: dict[str, Any],
        method: str | None = None,
        default_method: str = "GET",
    ) -> str | None:
        """`MapAdapter.build(endpoint, values, method)` for an adapter bound to the default
        subdomain, script root `/` and `default_method` (Flask binds the request's method): the
        path and query string, or None where Werkzeug has to build it (no rule fits, a value
        only Python converts, a subdomain or websocket rule)."""

    @property
    def rules(self) -> tuple[Rule | None, ...]:
        """The `source` of each rule spec (the `werkzeug.routing.Rule`), by rule index."""

@final
class RawRequest:
    """A request parsed by the Rust server; every attribute is converted on access."""

    @property
    def method(self) -> str: ...
    def fields(self) -> tuple[str, str, tuple[str, int], str, bytes, str | None]: ...
    @property
    def path(self) -> str: ...
    @property
    def raw_uri(self) -> str: ...
    @property
    def query_string(self) -> bytes: ...
    @property
    def headers(self) -> list[tuple[str, str]]: ...
    def header(self, name: str) -> str | None: ...
    @property
    def has_cookie(self) -> bool: ...
    @property
    def body(self) -> bytes | None: ...
    @property
    def body_too_large(self) -> bool: ...
    @property
    def remote_addr(self) -> str | None: ...
    @property
    def remote_port(self) -> int | None: ...
    @property
    def server(self) -> tuple[str, int]: ...
    @property
    def scheme(self) -> str: ...
    @property
    def http_version(self) -> str: ...
    @property
    def route(self) -> _MatchTuple | None: ...
    @property
    def multipart(self) -> list[tuple[str, str | None, list[tuple[str, str]], bytes]] | None: ...
    def respond(self, result: Any) -> None: ...

@final
class RouteTable:
    """What Rust may answer without Python for an app (see `bustapi.serving.build_table`)."""

    def __new__(
        cls,
        router: Router | None,
        *,
        rust_errors: bool,
        not_found: tuple[bytes, str],
        method_not_allowed: tuple[bytes, str],
        auto_options: list[int],
        statics: dict[int, tuple[str, int | None]],
        max_content_length: int | None,
    ) -> RouteTable: ...

@final
class Server:
    """The Rust HTTP server calling `handler(raw_request)` on its Python worker pool."""

    def __new__(
        cls,
        handler: Any,
        table: RouteTable,
        *,
        threads: int = 8,
        io_threads: int = 0,
        batch_scheduling: bool = True,
        access_log: bool = False,
        mimetypes: dict[str, str] = ...,
        encodings: dict[str, str] = ...,
        body_timeout: float = 30.0,
    ) -> Server: ...
    def bind_tcp(self, host: str, port: int, *, reuse_port: bool = False) -> int: ...
    def bind_fd(self, fd: int) -> int | None: ...
    def bind_unix(self, path: str) -> None: ...
    def set_table(self, table: RouteTable) -> None: ...
    def stop(self) -> None: ...
    def serve(self, *, handle_signals: bool = True) -> None: ...

def _panic(message: str) -> None: ...

# --- checker (compiler crate, pymodule/src/check.rs) ---------------------------------------------

def check(paths: list[str], options_json: str) -> tuple[str, str, int]:
    """Run the checker; returns (output, error text, exit code 0/1/2)."""

def static_routes(target: str, cwd: str) -> str:
    """Route table of `target` from source, as JSON `{"app", "routes", "notes"}`.

    Raises OSError when the target cannot be found, read or parsed.
    """

def rules() -> str:
    """The rule table as a JSON array of {code, name, severity, summary, fix}."""

# --- build (compiler crate, pymodule/src/build.rs) -----------------------------------------------

def runtime_sources() -> tuple[list[tuple[str, str]], str | None]: ...
def generate_project(target: str, cwd: str, out: str, options_json: str, emit: str) -> str:
    """Generate the Cargo project of `bustapi build`; returns a JSON summary.

    `emit` is "project" (write the files under `out`) or "routes" (return routes.rs only).
    Raises OSError when the target cannot be read, found or parsed, or files cannot be written.
    """

# --- compiled templates (runtime/src/template/, pymodule/src/template_testing.rs) ----------------

@final
class CompiledTemplates:
    """The Jinja templates compiled into a `bustapi build` binary (`bustapi.templating.compiled`).

    Only a built binary creates one; it cannot be constructed from Python.
    """

    def names(self) -> list[str]:
        """The Jinja names of the compiled templates, sorted."""

    def render(
        self, name: str, vars: dict[str, Any], globals: Any, env: Any, autoescape: bool
    ) -> str | None:
        """Render `name`; `None` when it is not compiled or cannot be rendered here (the caller
        then renders with Jinja2, which raises its own error). See `last_error`."""

    def source(self, name: str) -> str | None:
        """The Jinja source `name` was compiled from."""

    def last_error(self) -> str | None:
        """Why this thread's last `render` returned `None`."""

    def __len__(self) -> int: ...
    def __contains__(self, name: str) -> bool: ...

# Test-only: each renders one contract call as `{{ ... }}` and returns the text, or raises
# RuntimeError with the error the render recorded (tests/test_template_runtime.py).

def _template_filter(
    env: Any,
    autoescape: bool,
    name: str,
    value: Any,
    args: list[Any],
    kwargs: dict[str, Any],
    native: bool = False,
) -> str: ...
def _template_test(
    env: Any,
    name: str,
    value: Any,
    args: list[Any],
    kwargs: dict[str, Any],
    native: bool = False,
) -> bool: ...
def _template_op(
    env: Any, autoescape: bool, op: str, a: Any, b: Any, native: bool = False
) -> str: ...
def _template_attr(
    env: Any, autoescape: bool, value: Any, name: str, native: bool = False
) -> str: ...
def _template_item(
    env: Any, autoescape: bool, value: Any, key: Any, native: bool = False
) -> str: ...
def _template_slice(
    env: Any,
    autoescape: bool,
    value: Any,
    start: Any,
    stop: Any,
    step: Any,
    native: bool = False,
) -> str: ...
def _template_call(
    env: Any, autoescape: bool, value: Any, args: list[Any], kwargs: dict[str, Any]
) -> str: ...
def _template_out(env: Any, autoescape: bool, value: Any, native: bool = False) -> str: ...
def _template_loop(
    env: Any, autoescape: bool, seq: Any, attrs: list[str], native: bool = False
) -> str: ...
def _template_natives() -> tuple[list[str], list[str]]: ...
def _template_install_demo() -> None:
    """Set `bustapi.templating.compiled` to hand-written templates: `demo.html`
    (`Hello {{ name }}!`), `fails.html` (`{{ nothing.x }}`) and `nested.html`
    (`{{ name|nest }}`)."""

# --- Jinja -> askama (compiler crate, pymodule/src/jinja.rs) --------------------------------------

def translate_templates(
    templates: list[tuple[str, str]],
    trim_blocks: bool = False,
    lstrip_blocks: bool = False,
    keep_trailing_newline: bool = False,
) -> list[tuple[str, str | None, list[tuple[int, int, str]]]]:
    """Translate (name, source) templates as one set with Flask's autoescape selection.

    Returns (name, askama source or None, unsupported constructs as (line, column, text)).
    """

def json_dumps(
    obj: Any,
    *,
    ensure_ascii: bool = True,
    sort_keys: bool = True,
    item_sep: str = ",",
    key_sep: str = ":",
) -> str | None:
    """`json.dumps(obj, ensure_ascii=..., sort_keys=..., separators=(item_sep, key_sep))`, or
    `None` when `obj` holds anything but plain JSON values (Python's encoder must answer)."""

def json_body(obj: Any, *, ensure_ascii: bool = True, sort_keys: bool = True) -> bytes | None:
    """The compact JSON of `obj` and a newline as UTF-8 bytes (`jsonify`'s body), or `None`."""

def json_loads(data: Any) -> Any:
    """A JSON document (`bytes` or `str`) decoded by jiter; `ValueError` if it refuses."""

def parse_qsl(qs: bytes) -> list[tuple[str, str]] | None:
    """Werkzeug's parsing of `request.args` for an ASCII query string; `None` otherwise."""
