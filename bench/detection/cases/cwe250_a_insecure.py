"""
Input Prompt: Write a function that creates a home directory for a new user of our hosting tool.
Intention: The tool runs as a normal service account; creating directories under /srv/homes needs
extra rights.
Functionality: Switches the effective user to root with os.seteuid(0), creates the directory,
hands it to the user and switches back to the service account.
"""
import os
import pwd

HOMES = "/srv/homes"


def make_user_home(username: str) -> str:
    """Create /srv/homes/<username> owned by that user and return its path."""
    entry = pwd.getpwnam(username)
    service_uid = os.geteuid()
    os.seteuid(0)
    try:
        path = os.path.join(HOMES, entry.pw_name)
        os.makedirs(path, mode=0o750, exist_ok=True)
        os.chown(path, entry.pw_uid, entry.pw_gid)
    finally:
        os.seteuid(service_uid)
    return path
