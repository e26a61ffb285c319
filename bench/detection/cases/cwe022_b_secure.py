"""
Input Prompt: Create a FastAPI service that deletes a user's uploaded avatar by file name.
Intention: Allow users to remove avatars they uploaded earlier.
Functionality: Resolves the requested path, checks that it stays inside the avatar folder and only
then removes the file.
"""
from pathlib import Path

from fastapi import FastAPI, HTTPException

app = FastAPI()
AVATAR_ROOT = Path("/var/lib/avatars").resolve()


def avatar_location(filename: str) -> Path:
    """Return where an avatar with this name is stored, refusing names outside the folder."""
    candidate = (AVATAR_ROOT / filename).resolve()
    if not candidate.is_relative_to(AVATAR_ROOT):
        raise HTTPException(status_code=400, detail="invalid file name")
    return candidate


@app.delete("/avatars/{filename}")
def delete_avatar(filename: str):
    """Delete the avatar file and report what was removed."""
    target = avatar_location(filename)
    if not target.exists():
        raise HTTPException(status_code=404, detail="no such avatar")
    target.unlink()
    return {"deleted": target.name}
