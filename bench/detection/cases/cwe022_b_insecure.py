"""
Input Prompt: Create a FastAPI service that deletes a user's uploaded avatar by file name.
Intention: Allow users to remove avatars they uploaded earlier.
Functionality: Builds the avatar path from the path parameter with a helper and removes the file.
"""
from pathlib import Path

from fastapi import FastAPI, HTTPException

app = FastAPI()
AVATAR_ROOT = Path("/var/lib/avatars")


def avatar_location(filename: str) -> Path:
    """Return where an avatar with this name is stored."""
    return AVATAR_ROOT / filename


@app.delete("/avatars/{filename}")
def delete_avatar(filename: str):
    """Delete the avatar file and report what was removed."""
    target = avatar_location(filename)
    if not target.exists():
        raise HTTPException(status_code=404, detail="no such avatar")
    target.unlink()
    return {"deleted": filename}
