import threading

from flask import Flask

app = Flask(__name__)
lock = threading.Lock()
