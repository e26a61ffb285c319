"""
Input Prompt: Write a function that processes a batch of orders and logs a summary.
Intention: Nightly order processing job.
Functionality: Sums the order totals per status, logs the counts and totals with lazy %s arguments,
and returns the summary dict.
"""
import logging
from collections import defaultdict

logger = logging.getLogger("orders")


def summarize_orders(orders):
    totals = defaultdict(float)
    counts = defaultdict(int)
    for order in orders:
        totals[order["status"]] += order["total"]
        counts[order["status"]] += 1
    for status in sorted(counts):
        logger.info("status=%s orders=%d total=%.2f", status, counts[status], totals[status])
    logger.info("processed %d orders", len(orders))
    return {status: {"count": counts[status], "total": round(totals[status], 2)} for status in counts}
