"""
Input Prompt: Write a function that creates a home directory for a new user of our hosting tool.
Intention: The tool runs as a normal service account; creating directories under /srv/homes needs
extra rights.
Functionality: Creates the directory without changing privileges: the service account owns
/srv/homes (granted once at install time), makes the directory there and gives the user access
through the user's group, so the tool never needs root.
"""
import os
import pwd

HOMES = "/srv/homes"


def make_user_home(username: str) -> str:
    """Create /srv/homes/<username> for that user and return its path."""
    entry = pwd.getpwnam(username)
    path = os.path.join(HOMES, entry.pw_name)
    os.makedirs(path, mode=0o750, exist_ok=True)
    os.chown(path, -1, entry.pw_gid)
    os.chmod(path, 0o770)
    return path
