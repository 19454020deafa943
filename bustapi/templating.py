"""Compiled templates in a service built by `bustapi build`.

The build translates the application's Jinja templates to askama and compiles them into the
binary; at start-up the binary sets `compiled` (a `bustapi._core.CompiledTemplates`) and
`serving.serve_built` calls `install(app)`. From then on `render_template` is still Flask's own —
context processors, `before_render_template`/`template_rendered` signals and the `Template`
object they carry are unchanged — but a compiled template's `render` runs the Rust code instead
of Jinja's. Jinja2 stays the reference: a template is only used compiled when

- the environment is configured as the build assumed (Flask's defaults: delimiters, whitespace
  options, `Undefined`, no `finalize`, no extensions that change rendering), and
- every compiled template's source is the one the build translated (a template edited after the
  build, e.g. with `TEMPLATES_AUTO_RELOAD`, would otherwise render stale output);

and a render the compiled code cannot finish (a Python exception inside the template, an
undefined attribute) is rendered again by Jinja2, which raises Jinja2's own exception.
"""

from __future__ import annotations

import logging
import typing as t

import flask
import jinja2

if t.TYPE_CHECKING:
    from ._core import CompiledTemplates

#: The binary's compiled templates (None outside a built service).
compiled: CompiledTemplates | None = None
#: Whether `install` routed the app's rendering through them.
active = False

_log = logging.getLogger("bustapi.templating")

# Environment settings the translator assumes (Jinja's defaults, which Flask keeps).
_DEFAULTS: dict[str, object] = {
    "block_start_string": "{%",
    "block_end_string": "%}",
    "variable_start_string": "{{",
    "variable_end_string": "}}",
    "comment_start_string": "{#",
    "comment_end_string": "#}",
    "line_statement_prefix": None,
    "line_comment_prefix": None,
    "trim_blocks": False,
    "lstrip_blocks": False,
    "newline_sequence": "\n",
    "keep_trailing_newline": False,
    "finalize": None,
    "undefined": jinja2.Undefined,
    "is_async": False,
}


def incompatibility(env: jinja2.Environment) -> str | None:
    """Why `env` cannot use the compiled templates, or None."""
    for key, expected in _DEFAULTS.items():
        value = getattr(env, key, expected)
        if value is not expected and value != expected:
            return f"jinja_env.{key} is {value!r} (the build assumed {expected!r})"
    extensions = set(env.extensions) - {"jinja2.ext.LoopControlExtension"}
    if extensions:
        return f"Jinja extensions {sorted(extensions)}"
    return None


def install(app: flask.Flask) -> bool:
    """Routes `app`'s template loading through the compiled templates. Returns False (and
    logs why) when the app's Jinja environment is not the one the build compiled for."""
    global active
    if compiled is None or not compiled.names():
        return False
    env = app.jinja_env
    why = incompatibility(env)
    if why is None:
        why = _stale(env)
    if why is not None:
        _log.warning(" * templates rendered by Jinja2: %s", why)
        return False
    cls = type(env)
    if not issubclass(cls, _Compiled):
        env.__class__ = type(cls.__name__, (_Compiled, cls), {"__module__": cls.__module__})
    if env.cache is not None:
        # Templates loaded before now were loaded without the compiled `render`.
        env.cache.clear()
    active = True
    return True


def _stale(env: jinja2.Environment) -> str | None:
    """The first compiled template whose live source differs from the one the build compiled."""
    assert compiled is not None
    loader = env.loader
    if loader is None:
        return "the environment has no loader"
    for name in compiled.names():
        try:
            source, _, _ = loader.get_source(env, name)
        except jinja2.TemplateNotFound:
            return f"template {name!r} is no longer found"
        if source != compiled.source(name):
            return f"template {name!r} changed since the build"
    return None


class _Compiled(jinja2.Environment):
    """Mixed into the app's environment class by `install`: templates the build compiled get a
    `render` that runs the compiled code (the `Template` object itself stays Jinja's)."""

    def _load_template(
        self, name: str, globals: t.MutableMapping[str, t.Any] | None
    ) -> jinja2.Template:
        template = super()._load_template(name, globals)
        if compiled is not None and "render" not in template.__dict__ and name in compiled:
            autoescape = self.autoescape(name) if callable(self.autoescape) else self.autoescape
            template.render = _renderer(template, name, bool(autoescape))  # type: ignore[method-assign]
        return template


def _renderer(template: jinja2.Template, name: str, autoescape: bool) -> t.Callable[..., str]:
    jinja_render = jinja2.Template.render
    table = compiled
    assert table is not None

    def render(*args: t.Any, **kwargs: t.Any) -> str:
        context = dict(*args, **kwargs)
        out = table.render(name, context, template.globals, template.environment, autoescape)
        if out is None:
            # The compiled render stopped on something Jinja2 raises for (or could not finish):
            # Jinja2 renders it, with its own exception and traceback.
            return jinja_render(template, context)
        return out

    return render
