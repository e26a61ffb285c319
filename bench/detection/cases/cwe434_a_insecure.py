"""
Input Prompt: Write a Flask endpoint for uploading profile pictures.
Intention: Let users change their profile picture.
Functionality: Saves the uploaded file under the uploads folder with the name the browser sent.
"""
import os

from flask import Flask, request

app = Flask(__name__)
UPLOAD_FOLDER = "static/uploads"


@app.post("/profile/picture")
def upload_picture():
    """Store the uploaded picture."""
    picture = request.files["picture"]
    destination = os.path.join(UPLOAD_FOLDER, picture.filename)
    picture.save(destination)
    return {"url": "/" + destination}
