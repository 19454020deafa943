from flask import Flask, render_template

app = Flask(__name__)


@app.route("/<kind>")
def page(kind):
    return render_template(f"{kind}.html")
