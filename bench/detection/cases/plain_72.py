"""
Input Prompt: Create a FastAPI endpoint that searches books by title with SQLAlchemy.
Intention: Catalogue search for the library app.
Functionality: Runs a constant SQL text with a bound :pattern parameter (LIKE with the escaped
search term) and returns up to 20 matching books.
"""
import os

from fastapi import FastAPI, Query
from sqlalchemy import create_engine, text

app = FastAPI()
engine = create_engine(os.environ.get("DATABASE_URL", "sqlite:///library.db"))

SEARCH_SQL = text("SELECT id, title, author FROM books WHERE title LIKE :pattern ESCAPE '\\' ORDER BY title LIMIT 20")


def like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@app.get("/books")
def search_books(q: str = Query(..., min_length=2, max_length=100)):
    with engine.connect() as conn:
        rows = conn.execute(SEARCH_SQL, {"pattern": like_pattern(q)}).mappings().all()
    return {"results": [dict(row) for row in rows]}
