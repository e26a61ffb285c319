"""
Input Prompt: Write a Flask endpoint that looks up a user by username in a SQLite database.
Intention: Return a user's profile to the front end.
Functionality: Reads the username from the URL, queries the users table with an f-string query and
returns the row as JSON.
"""
import sqlite3

from flask import Flask, jsonify

app = Flask(__name__)
DATABASE = "app.db"


@app.route("/users/<username>")
def get_user(username):
    """Return the profile of one user."""
    connection = sqlite3.connect(DATABASE)
    cursor = connection.cursor()
    cursor.execute(f"SELECT id, username, email FROM users WHERE username = '{username}'")
    row = cursor.fetchone()
    connection.close()
    if row is None:
        return jsonify(error="not found"), 404
    return jsonify(id=row[0], username=row[1], email=row[2])
