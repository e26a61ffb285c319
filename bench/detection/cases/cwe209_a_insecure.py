"""
Input Prompt: Write a Flask endpoint that imports a CSV of contacts into the database.
Intention: Bulk import from the admin panel.
Functionality: Parses the uploaded CSV, inserts each row with the contacts service and returns the
number imported; on any error it returns the error message with status 500.
"""
import csv
import io

from flask import Flask, jsonify, request

from contacts import add_contact

app = Flask(__name__)


@app.route("/admin/contacts/import", methods=["POST"])
def import_contacts():
    upload = request.files.get("file")
    if upload is None:
        return jsonify(error="no file"), 400
    try:
        reader = csv.DictReader(io.StringIO(upload.read().decode("utf-8")))
        count = 0
        for row in reader:
            add_contact(row["name"], row["email"])
            count += 1
    except Exception as exc:
        return jsonify(error=f"Import failed: {exc}"), 500
    return jsonify(imported=count)
