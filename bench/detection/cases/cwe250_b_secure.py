"""
Input Prompt: Write a small TCP daemon that serves the server's uptime on port 79.
Intention: A finger-like status service for the lab network.
Functionality: Started by the init system as root, binds the privileged port, then drops to the
unprivileged `nobody` account for good (group first, then user) before it answers any connection.
"""
import os
import pwd
import socket
import time

START = time.monotonic()


def drop_privileges(account: str = "nobody") -> None:
    """Switch permanently to `account` (group, supplementary groups, then user)."""
    entry = pwd.getpwnam(account)
    os.setgroups([])
    os.setgid(entry.pw_gid)
    os.setuid(entry.pw_uid)


def serve(port: int = 79) -> None:
    """Answer each connection with the uptime in seconds."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", port))
        server.listen()
        drop_privileges()
        while True:
            conn, _ = server.accept()
            with conn:
                conn.sendall(f"up {int(time.monotonic() - START)} s\n".encode())


if __name__ == "__main__":
    serve()
