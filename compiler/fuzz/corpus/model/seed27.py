from flask import Flask
from werkzeug.routing import BaseConverter


class Csv(BaseConverter):
    pass


app = Flask(__name__)
app.url_map.converters["csv"] = Csv


@app.route("/t/<csv:tags>")
def t(tags):
    return ""
