"""
Input Prompt: Write a script that converts a JSON list of records into a CSV file.
Intention: Hand data from the API to people who use spreadsheets.
Functionality: Loads the JSON file, collects every key as a column and writes the rows with
csv.DictWriter.
"""
import csv
import json
import sys


def json_to_csv(source, target):
    """Write the records of the JSON file source as CSV to target; return the row count."""
    with open(source, encoding="utf-8") as handle:
        records = json.load(handle)
    columns = sorted({key for record in records for key in record})
    with open(target, "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        writer.writerows(records)
    return len(records)


if __name__ == "__main__":
    print(json_to_csv(sys.argv[1], sys.argv[2]), "rows written")
