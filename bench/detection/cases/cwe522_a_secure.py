"""
Input Prompt: Write a Flask registration endpoint that stores new users in SQLite.
Intention: Sign-up form for a small members area.
Functionality: Reads username and password from the form, stores the username with a salted
password hash (werkzeug's generate_password_hash) using a parameterized query and answers 201, or
409 when the name is taken.
"""
import sqlite3

from flask import Flask, jsonify, request
from werkzeug.security import generate_password_hash

app = Flask(__name__)
DATABASE = "members.db"


@app.route("/register", methods=["POST"])
def register():
    username = request.form["username"]
    password_hash = generate_password_hash(request.form["password"])
    conn = sqlite3.connect(DATABASE)
    try:
        conn.execute("INSERT INTO users (username, password_hash) VALUES (?, ?)", (username, password_hash))
        conn.commit()
    except sqlite3.IntegrityError:
        return jsonify(error="username taken"), 409
    finally:
        conn.close()
    return jsonify(status="created"), 201
