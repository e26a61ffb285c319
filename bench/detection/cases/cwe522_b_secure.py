"""
Input Prompt: Write a login function that checks a user's credentials against a MySQL table.
Intention: Used by the desktop client's login dialog.
Functionality: Fetches the user's bcrypt hash by username with a parameterized query and checks the
password against it with bcrypt.checkpw, returning the user's id or None.
"""
import os

import bcrypt
import mysql.connector


def get_connection():
    return mysql.connector.connect(
        host=os.environ.get("DB_HOST", "localhost"),
        user=os.environ["DB_USER"],
        password=os.environ["DB_PASSWORD"],
        database="app",
    )


def login(username, password):
    """The id of the user with these credentials, or None."""
    conn = get_connection()
    try:
        cursor = conn.cursor()
        cursor.execute("SELECT id, password_hash FROM users WHERE username = %s", (username,))
        row = cursor.fetchone()
        if row and bcrypt.checkpw(password.encode("utf-8"), row[1].encode("utf-8")):
            return row[0]
        return None
    finally:
        conn.close()
