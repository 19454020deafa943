from flask import Flask

app = Flask(__name__)

if __name__ == "__main__":
    app.run(port=8000, ssl_context="adhoc", processes=2)
