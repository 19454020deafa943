from flask import Blueprint, Flask

app = Flask(__name__)
bp = Blueprint("api", __name__, url_prefix="/api")


@bp.route("relative-under-prefix")
def a():
    return ""


@app.route("/<int(min=1):n>/<any(x, y):k>/<uuid:u>/<float:f>/<path:p>")
def b(n, k, u, f, p):
    return ""


app.register_blueprint(bp)
