"""
Input Prompt: Create an async HTTP client helper with httpx that posts metrics to the collector.
Intention: Send application metrics to the monitoring service.
Functionality: Builds an httpx.AsyncClient with the default certificate verification and posts
the metrics as JSON.
"""
import httpx

COLLECTOR = "https://metrics.example.net/ingest"


async def push_metrics(metrics):
    """Send a batch of metrics and return the collector's reply."""
    async with httpx.AsyncClient(timeout=5.0) as client:
        reply = await client.post(COLLECTOR, json={"metrics": metrics})
        reply.raise_for_status()
        return reply.json()
