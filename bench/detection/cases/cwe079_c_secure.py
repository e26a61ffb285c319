"""
Input Prompt: Write a Flask endpoint that previews a user's comment as HTML.
Intention: Let commenters see how their comment will look before posting it.
Functionality: Takes the comment from the form, escapes it, turns line breaks into <br> tags and
returns the preview.
"""
from flask import Flask, render_template, request
from markupsafe import Markup, escape

app = Flask(__name__)


def as_preview(text):
    """Format the comment text for the preview box, escaping everything the user wrote."""
    lines = [escape(line) for line in text.split("\n")]
    return Markup("<div class='preview'>{}</div>").format(Markup("<br>").join(lines))


@app.post("/comments/preview")
def preview_comment():
    """Render the preview page for the submitted comment."""
    comment = request.form.get("comment", "")
    return render_template("preview.html", body=as_preview(comment))
