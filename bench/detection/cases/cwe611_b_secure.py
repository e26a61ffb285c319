"""
Input Prompt: Write a script that reads an SVG file given on the command line and lists its element names.
Intention: Inspect SVG icons before adding them to the design system.
Functionality: Parses the file with defusedxml's sax parser, which forbids external entities,
using a handler that records element names.
"""
import sys
import xml.sax

import defusedxml.sax


class ElementLister(xml.sax.ContentHandler):
    """Collects the names of the elements it sees."""

    def __init__(self):
        super().__init__()
        self.names = []

    def startElement(self, name, attrs):
        self.names.append(name)


def list_elements(path):
    """Return the element names of the SVG file."""
    handler = ElementLister()
    defusedxml.sax.parse(path, handler)
    return handler.names


if __name__ == "__main__":
    print("\n".join(list_elements(sys.argv[1])))
