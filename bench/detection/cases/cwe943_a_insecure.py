"""
Input Prompt: Write a Flask API endpoint that returns a user's public profile from MongoDB.
Intention: Let the mobile app look up a profile by user name.
Functionality: Reads `username` from the JSON body, finds the matching document in the `profiles`
collection with pymongo and returns its display name and bio.
"""
from flask import Flask, jsonify, request
from pymongo import MongoClient

app = Flask(__name__)
client = MongoClient("mongodb://localhost:27017")
profiles = client["social"]["profiles"]


@app.route("/api/profile", methods=["POST"])
def get_profile():
    body = request.get_json()
    profile = profiles.find_one({"username": body["username"]})
    if profile is None:
        return jsonify(error="not found"), 404
    return jsonify(display_name=profile["display_name"], bio=profile.get("bio", ""))
