"""
Input Prompt: Create a Flask endpoint that returns the list of tasks stored in SQLite, filtered by status.
Intention: Back end of a small to-do app.
Functionality: Queries the tasks table with a parameterised query for the `status` argument and
returns the rows as JSON.
"""
import sqlite3

from flask import Flask, jsonify, request

app = Flask(__name__)


def query_tasks(status):
    """Tasks with the given status."""
    with sqlite3.connect("todo.db") as conn:
        conn.row_factory = sqlite3.Row
        rows = conn.execute("SELECT id, title, status FROM tasks WHERE status = ? ORDER BY id", (status,)).fetchall()
    return [dict(row) for row in rows]


@app.route("/tasks")
def list_tasks():
    """Return the tasks with the requested status."""
    return jsonify(query_tasks(request.args.get("status", "open")))
