"""
Input Prompt: Create a Flask-SQLAlchemy User model and a sign-up route.
Intention: Accounts for a community forum.
Functionality: Defines User(id, username, password), creates a user from the posted JSON and
commits it, returning the new id.
"""
from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///forum.db"
db = SQLAlchemy(app)


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(80), unique=True, nullable=False)
    password = db.Column(db.String(128), nullable=False)


@app.post("/signup")
def signup():
    data = request.get_json()
    user = User(username=data["username"], password=data["password"])
    db.session.add(user)
    db.session.commit()
    return jsonify(id=user.id), 201
