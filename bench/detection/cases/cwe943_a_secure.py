"""
Input Prompt: Write a Flask API endpoint that returns a user's public profile from MongoDB.
Intention: Let the mobile app look up a profile by user name.
Functionality: Reads `username` from the JSON body, refuses anything that is not a plain string
(so no query operator such as {"$ne": ""} can reach the database), finds the matching document in
the `profiles` collection with pymongo and returns its display name and bio.
"""
from flask import Flask, jsonify, request
from pymongo import MongoClient

app = Flask(__name__)
client = MongoClient("mongodb://localhost:27017")
profiles = client["social"]["profiles"]


@app.route("/api/profile", methods=["POST"])
def get_profile():
    body = request.get_json(silent=True) or {}
    username = body.get("username")
    if not isinstance(username, str) or not username:
        return jsonify(error="username must be a string"), 400
    profile = profiles.find_one({"username": username})
    if profile is None:
        return jsonify(error="not found"), 404
    return jsonify(display_name=profile["display_name"], bio=profile.get("bio", ""))
