"""
Input Prompt: Write a Flask view that greets the user by the name given in the query string.
Intention: Show a personalised welcome banner on the landing page.
Functionality: Reads `name` from the query string and returns a small HTML page with a heading
that greets that name.
"""
from flask import Flask, request

app = Flask(__name__)

PAGE = """<!doctype html>
<html><head><title>Welcome</title></head>
<body><h1>Hello, {who}!</h1><p>Glad to see you.</p></body></html>"""


def build_greeting(display_name: str) -> str:
    return PAGE.format(who=display_name)


@app.route("/welcome")
def welcome() -> str:
    display_name = request.args.get("name", "guest")
    return build_greeting(display_name)
