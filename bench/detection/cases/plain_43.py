"""
Input Prompt: Write a command-line tool that sums the numbers in a CSV column.
Intention: Quick totals of exported spreadsheets.
Functionality: Reads the file named in argv with csv.DictReader and adds up the chosen column,
logging how many rows it skipped.
"""
import argparse
import csv
import logging

logger = logging.getLogger(__name__)


def column_total(path, column):
    """Sum of the numeric values in the column."""
    total, skipped = 0.0, 0
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            try:
                total += float(row[column])
            except (KeyError, ValueError):
                skipped += 1
    logger.info("summed column %s of %s, skipped %d rows", column, path, skipped)
    return total


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("column")
    args = parser.parse_args()
    print(column_total(args.path, args.column))
