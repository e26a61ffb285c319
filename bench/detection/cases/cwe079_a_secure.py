"""
Input Prompt: Write a Flask route that greets the user by the name given in the query string.
Intention: Show a personalised welcome page.
Functionality: Reads `name` from the query string and passes it as a variable to a constant
template, so Jinja escapes it.
"""
from flask import Flask, render_template_string, request

app = Flask(__name__)
PAGE = "<html><body><h1>Welcome, {{ name }}!</h1></body></html>"


@app.route("/hello")
def hello():
    """Greet the visitor by name."""
    name = request.args.get("name", "guest")
    return render_template_string(PAGE, name=name)
