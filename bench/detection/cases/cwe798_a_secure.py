"""
Input Prompt: Write a function that connects to the company's PostgreSQL database.
Intention: Give the reporting scripts a ready database connection.
Functionality: Connects with psycopg2 using the host and user written in the module and the
password read from the REPORTING_DB_PASSWORD environment variable.
"""
import os

import psycopg2

DB_HOST = "db.internal.example.com"
DB_USER = "reporting"


def get_connection():
    """Open a connection to the reporting database."""
    return psycopg2.connect(host=DB_HOST, user=DB_USER, password=os.environ["REPORTING_DB_PASSWORD"], dbname="reports")
