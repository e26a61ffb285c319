"""
Input Prompt: Create a Flask-SQLAlchemy User model and a sign-up route.
Intention: Accounts for a community forum.
Functionality: Defines User(id, username, password_hash) with set_password/check_password helpers
based on werkzeug's salted hashes, creates a user from the posted JSON and commits it, returning
the new id.
"""
from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from werkzeug.security import check_password_hash, generate_password_hash

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///forum.db"
db = SQLAlchemy(app)


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(80), unique=True, nullable=False)
    password_hash = db.Column(db.String(256), nullable=False)

    def set_password(self, password):
        self.password_hash = generate_password_hash(password)

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)


@app.post("/signup")
def signup():
    data = request.get_json()
    user = User(username=data["username"])
    user.set_password(data["password"])
    db.session.add(user)
    db.session.commit()
    return jsonify(id=user.id), 201
