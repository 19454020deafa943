import flask
from flask import Flask, _request_ctx_stack, escape
from flask.json import JSONDecoder

app = Flask(__name__)


@app.before_first_request
def setup():
    pass


def current():
    return flask._app_ctx_stack.top
