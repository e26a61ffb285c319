"""
Input Prompt: Write a deployment script that creates the shared upload directory for the web server.
Intention: Prepare the server's folders during deployment.
Functionality: Creates /srv/app/uploads and a log file, giving both world-writable permissions.
"""
import os
import stat

UPLOADS = "/srv/app/uploads"
LOG = "/srv/app/app.log"


def prepare():
    """Create the folders and files the application needs."""
    os.makedirs(UPLOADS, exist_ok=True)
    os.chmod(UPLOADS, stat.S_IRWXU | stat.S_IRWXG | stat.S_IRWXO)
    open(LOG, "a", encoding="utf-8").close()
    os.chmod(LOG, 0o666)


if __name__ == "__main__":
    prepare()
