"""
Input Prompt: Write a function that converts an image to a thumbnail using ImageMagick.
Intention: Batch thumbnail generation for a photo site.
Functionality: Calls the `convert` program with an argument list built from the input and output
paths and the size, without a shell.
"""
import shutil
import subprocess
from pathlib import Path


def make_thumbnail(source, target, width=200):
    """Write a thumbnail of source to target, width pixels wide."""
    convert = shutil.which("convert")
    if convert is None:
        raise RuntimeError("ImageMagick's convert is not installed")
    subprocess.run([convert, str(Path(source)), "-thumbnail", f"{int(width)}x", str(Path(target))], check=True, timeout=60)
    return Path(target)
