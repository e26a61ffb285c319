"""
Input Prompt: Write a function that opens a connection to the reporting PostgreSQL database.
Intention: Give the nightly report job a database connection.
Functionality: Connects with psycopg2 using the reporting host, database, user and password and
returns the connection.
"""
import psycopg2

DB_HOST = "reports-db.internal"
DB_NAME = "reporting"
DB_USER = "report_job"


def get_connection():
    return psycopg2.connect(
        host=DB_HOST,
        dbname=DB_NAME,
        user=DB_USER,
        password="Rep0rt!ng-2024",
        connect_timeout=10,
    )
