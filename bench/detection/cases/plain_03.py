"""
Input Prompt: Write a script that sums a numeric column of a CSV file given on the command line.
Intention: Quick totals for exported spreadsheets.
Functionality: Reads the file with csv.DictReader and adds up the chosen column, skipping empty
cells.
"""
import argparse
import csv


def column_total(path, column):
    """Sum of the numeric values in the column."""
    total = 0.0
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            value = (row.get(column) or "").strip()
            if value:
                total += float(value)
    return total


def main():
    """Parse arguments and print the total."""
    parser = argparse.ArgumentParser(description="Sum a CSV column.")
    parser.add_argument("path")
    parser.add_argument("column")
    args = parser.parse_args()
    print(f"{column_total(args.path, args.column):.2f}")


if __name__ == "__main__":
    main()
