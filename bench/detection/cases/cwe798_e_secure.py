"""
Input Prompt: Write a function that opens a connection to the reporting PostgreSQL database.
Intention: Give the nightly report job a database connection.
Functionality: Connects with psycopg2 using the reporting host, database and user and the password
from the REPORTING_DB_PASSWORD environment variable, and returns the connection.
"""
import os

import psycopg2

DB_HOST = "reports-db.internal"
DB_NAME = "reporting"
DB_USER = "report_job"


def get_connection():
    return psycopg2.connect(
        host=DB_HOST,
        dbname=DB_NAME,
        user=DB_USER,
        password=os.getenv("REPORTING_DB_PASSWORD"),
        connect_timeout=10,
    )
