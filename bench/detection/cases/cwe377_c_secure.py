"""
Input Prompt: Write a helper that saves an uploaded image to a scratch file before resizing it.
Intention: Give Pillow a real file to work on.
Functionality: Creates a private scratch directory with tempfile.mkdtemp and writes the bytes and
the thumbnail inside it.
"""
import os
import tempfile

from PIL import Image


def resize_upload(data, size=(256, 256)):
    """Resize the uploaded image bytes and return the path of the thumbnail."""
    workdir = tempfile.mkdtemp(prefix="upload-")
    scratch = os.path.join(workdir, "source.img")
    with open(scratch, "wb") as handle:
        handle.write(data)
    image = Image.open(scratch)
    image.thumbnail(size)
    thumb = os.path.join(workdir, "thumb.png")
    image.save(thumb)
    return thumb
