from flask import Blueprint, Flask

app = Flask(__name__)
bp = Blueprint("a.b", __name__)


@app.route("no-slash")
def a():
    return ""


@app.route("/<int:>")
def b():
    return ""


@app.route("/<unknown:x>")
def c(x):
    return ""
