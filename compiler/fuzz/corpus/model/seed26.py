from flask import Blueprint, Flask

API = "/api"
V = 1
app = Flask(__name__)
bp = Blueprint("bp", __name__, url_prefix=f"{API}/v{V}")


@bp.route("/x")
def x():
    return "x"


def register(target):
    @target.route("/y")
    def y():
        return "y"


register(app)
app.register_blueprint(bp)
