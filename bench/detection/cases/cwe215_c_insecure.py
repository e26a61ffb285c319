"""
Input Prompt: Create a FastAPI service and a launcher that serves it with uvicorn.
Intention: Serve the orders API.
Functionality: Creates the FastAPI app with debug=True, so unhandled errors return tracebacks to
the client, and runs it with uvicorn.
"""
import uvicorn
from fastapi import FastAPI

app = FastAPI(title="orders", debug=True)


@app.get("/orders/{order_id}")
def get_order(order_id: int):
    """Return an order by id."""
    return {"id": order_id, "status": "shipped"}


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=8080)
