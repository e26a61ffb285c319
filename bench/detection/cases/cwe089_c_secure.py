"""
Input Prompt: Create a FastAPI endpoint that lists products sorted by a column the client picks.
Intention: Support sortable product tables in the shop's admin page.
Functionality: Binds the search term as a parameter and only accepts sort columns from a fixed
list before running the SQLAlchemy query.
"""
from fastapi import FastAPI, HTTPException
from sqlalchemy import create_engine, text

app = FastAPI()
engine = create_engine("sqlite:///shop.db")
SORT_COLUMNS = {"name": "name", "price": "price", "newest": "created_at DESC"}


@app.get("/products")
def list_products(search: str = "", sort: str = "name"):
    """List products whose name contains the search term."""
    order = SORT_COLUMNS.get(sort)
    if order is None:
        raise HTTPException(status_code=400, detail="unknown sort column")
    query = text("SELECT id, name, price FROM products WHERE name LIKE :pattern ORDER BY " + order)
    with engine.connect() as conn:
        rows = conn.execute(query, {"pattern": f"%{search}%"}).fetchall()
    return [{"id": r.id, "name": r.name, "price": r.price} for r in rows]
