"""
Input Prompt: Create a FastAPI service and a launcher that serves it with uvicorn.
Intention: Serve the orders API.
Functionality: Creates the FastAPI app without debug mode, so unhandled errors return a plain 500,
and runs it with uvicorn on the address given in the environment.
"""
import os

import uvicorn
from fastapi import FastAPI

app = FastAPI(title="orders")


@app.get("/orders/{order_id}")
def get_order(order_id: int):
    """Return an order by id."""
    return {"id": order_id, "status": "shipped"}


if __name__ == "__main__":
    uvicorn.run(app, host=os.environ.get("ORDERS_HOST", "127.0.0.1"), port=8080)
