"""
Input Prompt: Write a Flask login endpoint that checks a user exists in the company LDAP directory.
Intention: Look up the employee record of whoever is signing in.
Functionality: Reads the username from the form, builds an LDAP filter with it and searches the
directory with python-ldap.
"""
import ldap
from flask import Flask, jsonify, request

app = Flask(__name__)
BASE_DN = "ou=people,dc=example,dc=com"


@app.post("/lookup")
def lookup():
    """Return the common name of the employee."""
    username = request.form["username"]
    conn = ldap.initialize("ldap://ldap.example.com")
    search_filter = "(&(objectClass=person)(uid=" + username + "))"
    results = conn.search_s(BASE_DN, ldap.SCOPE_SUBTREE, search_filter, ["cn"])
    if not results:
        return jsonify(found=False), 404
    return jsonify(found=True, cn=results[0][1]["cn"][0].decode())
