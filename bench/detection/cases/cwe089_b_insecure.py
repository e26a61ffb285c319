"""
Input Prompt: Write a helper module that searches orders by customer and status in PostgreSQL.
Intention: Give the reporting scripts one function for order searches.
Functionality: Builds the WHERE clause by string formatting from the arguments and runs it with
psycopg2.
"""
import psycopg2


def build_order_query(customer, status):
    """Compose the SQL text for an order search."""
    sql = "SELECT id, total, created_at FROM orders WHERE customer_name = '%s'" % customer
    if status:
        sql += " AND status = '" + status + "'"
    return sql + " ORDER BY created_at DESC"


def find_orders(dsn, customer, status=None):
    """Return every order of the customer, newest first."""
    with psycopg2.connect(dsn) as conn:
        with conn.cursor() as cur:
            cur.execute(build_order_query(customer, status))
            return cur.fetchall()


if __name__ == "__main__":
    name = input("Customer name: ")
    for order in find_orders("dbname=shop", name):
        print(order)
