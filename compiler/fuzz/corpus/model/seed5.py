from flask import Flask, Markup, _app_ctx_stack, send_file
from flask.json import JSONEncoder
from gevent import monkey

monkey.patch_all()

app = Flask(__name__)
app.json_encoder = JSONEncoder
app.session_cookie_name = "s"  # bustapi: ignore[BA101]


@app.before_first_request
def setup():
    _app_ctx_stack.top.db = None


@app.route("/report")
def report():
    return send_file("report.pdf", attachment_filename="r.pdf", cache_timeout=60)


@app.route("/safe")
def safe():
    return Markup("<b>ok</b>")  # bustapi: ignore[BA101]
