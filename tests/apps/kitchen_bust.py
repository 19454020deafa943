"""The kitchen app with `bustapi.flask_patch` applied first, for WSGI servers (gunicorn)."""

import bustapi.flask_patch  # noqa: F401  (before the app module creates its Flask app)
from tests.apps.kitchen import app

__all__ = ["app"]
