"""
Input Prompt: Write a Flask registration endpoint that stores new users in SQLite.
Intention: Sign-up form for a small members area.
Functionality: Reads username and password from the form, inserts them into the users table with a
parameterized query and answers 201, or 409 when the name is taken.
"""
import sqlite3

from flask import Flask, jsonify, request

app = Flask(__name__)
DATABASE = "members.db"


@app.route("/register", methods=["POST"])
def register():
    username = request.form["username"]
    password = request.form["password"]
    conn = sqlite3.connect(DATABASE)
    try:
        conn.execute("INSERT INTO users (username, password) VALUES (?, ?)", (username, password))
        conn.commit()
    except sqlite3.IntegrityError:
        return jsonify(error="username taken"), 409
    finally:
        conn.close()
    return jsonify(status="created"), 201
