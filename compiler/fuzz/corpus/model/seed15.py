from flask import Flask, g, send_file
from markupsafe import Markup, escape

app = Flask(__name__)


@app.route("/f")
def f():
    g.x = Markup(escape("<b>"))
    return send_file("f.pdf", download_name="f.pdf", max_age=60)
