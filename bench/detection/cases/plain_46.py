"""
Input Prompt: Write a Flask route that greets the visitor by the name given in the query string.
Intention: Demo page for a templating tutorial.
Functionality: Reads `name` from the query string (default "stranger"), escapes it with
markupsafe.escape and returns a small HTML greeting.
"""
from flask import Flask, request
from markupsafe import escape

app = Flask(__name__)


@app.route("/hello")
def hello():
    name = request.args.get("name", "stranger")
    return f"<h1>Hello, {escape(name)}!</h1>"


if __name__ == "__main__":
    app.run()
