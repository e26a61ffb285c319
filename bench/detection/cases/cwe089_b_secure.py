"""
Input Prompt: Write a helper module that searches orders by customer and status in PostgreSQL.
Intention: Give the reporting scripts one function for order searches.
Functionality: Builds the WHERE clause from fixed fragments with placeholders and passes the values
separately to psycopg2.
"""
import psycopg2


def build_order_query(status):
    """Compose the SQL text for an order search; values are bound later."""
    sql = "SELECT id, total, created_at FROM orders WHERE customer_name = %s"
    if status:
        sql += " AND status = %s"
    return sql + " ORDER BY created_at DESC"


def find_orders(dsn, customer, status=None):
    """Return every order of the customer, newest first."""
    params = [customer] + ([status] if status else [])
    with psycopg2.connect(dsn) as conn:
        with conn.cursor() as cur:
            cur.execute(build_order_query(status), params)
            return cur.fetchall()


if __name__ == "__main__":
    name = input("Customer name: ")
    for order in find_orders("dbname=shop", name):
        print(order)
