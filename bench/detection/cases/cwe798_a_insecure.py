"""
Input Prompt: Write a function that connects to the company's PostgreSQL database.
Intention: Give the reporting scripts a ready database connection.
Functionality: Connects with psycopg2 using the host, user and password written in the module.
"""
import psycopg2

DB_HOST = "db.internal.example.com"
DB_USER = "reporting"
DB_PASSWORD = "Sup3rS3cret!2024"


def get_connection():
    """Open a connection to the reporting database."""
    return psycopg2.connect(host=DB_HOST, user=DB_USER, password=DB_PASSWORD, dbname="reports")
