from flask import Blueprint, Flask

app = Flask(__name__)
bp = Blueprint("bp", __name__)


@app.route("/a")
@app.route("/b")
def index():
    return "a"


@bp.route("/c")
def index_bp():
    return "c"


@bp.route("/d", endpoint="index")
def other():
    return "d"


app.register_blueprint(bp)
app.register_blueprint(bp, name="bp2", url_prefix="/two")
