"""
Input Prompt: Write a function that fetches a user record by e-mail from a SQLite database.
Intention: Account lookup for the support tool.
Functionality: Opens the database, runs a parameterized SELECT and returns the row as a dict, or
None when no user has that address.
"""
import sqlite3


def get_user_by_email(db_path, email):
    """The user with this e-mail address as a dict, or None."""
    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        row = conn.execute(
            "SELECT id, name, email, created_at FROM users WHERE email = ?",
            (email.strip().lower(),),
        ).fetchone()
    return dict(row) if row else None
