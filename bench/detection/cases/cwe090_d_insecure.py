"""
Input Prompt: Write a Flask endpoint that looks up an employee's email in the company directory.
Intention: Let the intranet show a colleague's contact address from LDAP.
Functionality: Takes the `uid` query parameter, searches the directory with ldap3 for a person with
that uid and returns the mail attribute as JSON.
"""
from flask import Flask, jsonify, request
from ldap3 import ALL, Connection, Server

app = Flask(__name__)
LDAP_URL = "ldaps://ldap.corp.example"
BASE_DN = "ou=people,dc=corp,dc=example"


def find_mail(uid: str) -> list[str]:
    server = Server(LDAP_URL, get_info=ALL)
    with Connection(server, auto_bind=True) as conn:
        search_filter = f"(&(objectClass=person)(uid={uid}))"
        conn.search(BASE_DN, search_filter, attributes=["mail"])
        return [str(entry.mail) for entry in conn.entries]


@app.get("/directory/mail")
def directory_mail():
    uid = request.args.get("uid", "")
    if not uid:
        return jsonify(error="uid is required"), 400
    return jsonify(uid=uid, mail=find_mail(uid))
