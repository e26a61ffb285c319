"""
Input Prompt: Write a Flask endpoint that imports a CSV of contacts into the database.
Intention: Bulk import from the admin panel.
Functionality: Parses the uploaded CSV, inserts each row with the contacts service and returns the
number imported; on any error it logs the exception with its traceback on the server and returns a
generic message with status 500.
"""
import csv
import io
import logging

from flask import Flask, jsonify, request

from contacts import add_contact

app = Flask(__name__)
logger = logging.getLogger(__name__)


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
    except Exception:
        logger.exception("contact import failed")
        return jsonify(error="Import failed, please check the file and try again"), 500
    return jsonify(imported=count)
