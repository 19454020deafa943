from flask import Flask, escape  # bustapi: ignore[BA101]

app = Flask(__name__)
