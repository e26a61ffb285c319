"""
Input Prompt: Write register and login helpers that store passwords with bcrypt.
Intention: User accounts for a command-line todo app with a shared database.
Functionality: Hashes new passwords with bcrypt and a generated salt, stores them in SQLite with
parameterized queries, and checks logins with bcrypt.checkpw.
"""
import sqlite3

import bcrypt


def register(conn: sqlite3.Connection, username: str, password: str) -> None:
    hashed = bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt())
    conn.execute("INSERT INTO accounts (username, pw_hash) VALUES (?, ?)", (username, hashed))
    conn.commit()


def login(conn: sqlite3.Connection, username: str, password: str) -> bool:
    row = conn.execute("SELECT pw_hash FROM accounts WHERE username = ?", (username,)).fetchone()
    return row is not None and bcrypt.checkpw(password.encode("utf-8"), row[0])
