"""
Input Prompt: Write a small TCP daemon that serves the server's uptime on port 79.
Intention: A finger-like status service for the lab network.
Functionality: Makes sure it runs as root with os.setuid(0) so it can bind the privileged port, binds
it and answers every connection with the uptime, still running as root.
"""
import os
import socket
import time

START = time.monotonic()


def serve(port: int = 79) -> None:
    """Answer each connection with the uptime in seconds."""
    os.setuid(0)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", port))
        server.listen()
        while True:
            conn, _ = server.accept()
            with conn:
                conn.sendall(f"up {int(time.monotonic() - START)} s\n".encode())


if __name__ == "__main__":
    serve()
