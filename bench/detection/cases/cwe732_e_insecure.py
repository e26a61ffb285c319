"""
Input Prompt: Write a script that prepares the upload and log directories for a small web service.
Intention: Make sure the service's working directories exist before it starts.
Functionality: Creates the uploads and logs directories under the service root with permissive
modes so any process can write there, and prints what it created.
"""
import os

SERVICE_ROOT = "/srv/photo-service"


def prepare_dirs(root: str = SERVICE_ROOT) -> list[str]:
    created = []
    for sub in ("uploads", "logs"):
        path = os.path.join(root, sub)
        os.makedirs(path, mode=0o777, exist_ok=True)
        os.chmod(path, 0o777)
        created.append(path)
    return created


if __name__ == "__main__":
    for directory in prepare_dirs():
        print("ready:", directory)
