"""
Input Prompt: Write a function that writes a report to a temporary file and returns its path.
Intention: Hand the report file to an e-mail helper that attaches it.
Functionality: Creates the temporary file atomically with tempfile.NamedTemporaryFile(delete=False),
writes the report and returns the name.
"""
import tempfile


def write_report(lines):
    """Write the lines to a temporary file and return its path."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as report:
        report.write("\n".join(lines))
        return report.name
