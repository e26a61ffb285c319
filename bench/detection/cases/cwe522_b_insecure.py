"""
Input Prompt: Write a login function that checks a user's credentials against a MySQL table.
Intention: Used by the desktop client's login dialog.
Functionality: Looks up the row whose username and password both match, using a parameterized
query, and returns the user's id or None.
"""
import os

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
        cursor.execute(
            "SELECT id FROM users WHERE username = %s AND password = %s",
            (username, password),
        )
        row = cursor.fetchone()
        return row[0] if row else None
    finally:
        conn.close()
