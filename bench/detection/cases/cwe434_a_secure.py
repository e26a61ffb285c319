"""
Input Prompt: Write a Flask endpoint for uploading profile pictures.
Intention: Let users change their profile picture.
Functionality: Accepts only image extensions, cleans the name with secure_filename, limits the
size and saves the file under the uploads folder.
"""
import os

from flask import Flask, abort, request
from werkzeug.utils import secure_filename

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024
UPLOAD_FOLDER = "static/uploads"
ALLOWED = {".png", ".jpg", ".jpeg", ".gif"}


@app.post("/profile/picture")
def upload_picture():
    """Store the uploaded picture."""
    picture = request.files["picture"]
    name = secure_filename(picture.filename or "")
    if not name or os.path.splitext(name)[1].lower() not in ALLOWED:
        abort(400)
    destination = os.path.join(UPLOAD_FOLDER, name)
    picture.save(destination)
    return {"url": "/" + destination}
