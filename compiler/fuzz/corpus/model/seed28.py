from flask import Flask

app = Flask(__name__)


@app.route("/t/<path:tags>")
def t(tags):
    return ""
