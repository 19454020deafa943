from flask import Flask
from flask_socketio import SocketIO
from flask_unheard_of import Thing

app = Flask(__name__)
socketio = SocketIO(app)
thing = Thing(app)
