"""The bare Flask baseline: one route returning "hello", served like the app.

gunicorn --workers 4 --threads 4 --bind 127.0.0.1:PORT hello:app   (from bench/)
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "hello"
