"""A Flask app with no hooks: the engine answers its 404/405/OPTIONS and static files in Rust."""

from __future__ import annotations

import os

from flask import Blueprint, Flask

HERE = os.path.dirname(__file__)

app = Flask(__name__, static_folder=os.path.join(HERE, "static"))


@app.get("/")
def index() -> str:
    return "plain"


@app.route("/thing", methods=["GET", "PUT"])
def thing() -> str:
    return "thing"


@app.get("/dir/")
def directory() -> str:
    return "dir"


bp = Blueprint("assets", __name__, static_folder=os.path.join(HERE, "static"), url_prefix="/bp")
app.register_blueprint(bp)
