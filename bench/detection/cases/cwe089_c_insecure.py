"""
Input Prompt: Create a FastAPI endpoint that lists products sorted by a column the client picks.
Intention: Support sortable product tables in the shop's admin page.
Functionality: Accepts a search term and a sort column, formats them into a SQLAlchemy text query
and returns the products.
"""
from fastapi import FastAPI
from sqlalchemy import create_engine, text

app = FastAPI()
engine = create_engine("sqlite:///shop.db")


@app.get("/products")
def list_products(search: str = "", sort: str = "name"):
    """List products whose name contains the search term."""
    query = "SELECT id, name, price FROM products WHERE name LIKE '%{}%' ORDER BY {}".format(search, sort)
    with engine.connect() as conn:
        rows = conn.execute(text(query)).fetchall()
    return [{"id": r.id, "name": r.name, "price": r.price} for r in rows]
