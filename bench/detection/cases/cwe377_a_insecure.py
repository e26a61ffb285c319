"""
Input Prompt: Write a function that writes a report to a temporary file and returns its path.
Intention: Hand the report file to an e-mail helper that attaches it.
Functionality: Gets a temporary file name with tempfile.mktemp, writes the report there and returns
the name.
"""
import tempfile


def write_report(lines):
    """Write the lines to a temporary file and return its path."""
    path = tempfile.mktemp(suffix=".txt")
    with open(path, "w", encoding="utf-8") as report:
        report.write("\n".join(lines))
    return path
