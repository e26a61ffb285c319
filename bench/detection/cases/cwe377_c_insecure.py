"""
Input Prompt: Write a helper that saves an uploaded image to a scratch file before resizing it.
Intention: Give Pillow a real file to work on.
Functionality: Builds a scratch path in the temp directory from the process id and writes the
bytes there.
"""
import os
import tempfile

from PIL import Image


def resize_upload(data, size=(256, 256)):
    """Resize the uploaded image bytes and return the path of the thumbnail."""
    scratch = os.path.join(tempfile.gettempdir(), "upload_%d.img" % os.getpid())
    with open(scratch, "wb") as handle:
        handle.write(data)
    image = Image.open(scratch)
    image.thumbnail(size)
    thumb = scratch + ".png"
    image.save(thumb)
    return thumb
