"""
Input Prompt: Write a script that prints the average, minimum and maximum of a numeric column in a CSV file.
Intention: Quick statistics for exported spreadsheets.
Functionality: Reads the CSV named on the command line with csv.DictReader, converts the column's
values to float (skipping empty cells) and prints count, mean, min and max.
"""
import argparse
import csv
import statistics


def column_stats(path, column):
    values = []
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            cell = (row.get(column) or "").strip()
            if cell:
                values.append(float(cell))
    if not values:
        raise ValueError(f"no values in column {column!r}")
    return len(values), statistics.mean(values), min(values), max(values)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("csv_file")
    parser.add_argument("column")
    args = parser.parse_args()
    count, mean, low, high = column_stats(args.csv_file, args.column)
    print(f"count={count} mean={mean:.2f} min={low} max={high}")


if __name__ == "__main__":
    main()
