"""
Input Prompt: Create a FastAPI endpoint that imports contacts from an uploaded XML address book.
Intention: Let users move their contacts from another application.
Functionality: Parses the uploaded XML with lxml's XMLParser (DTD loading and network access on)
and returns the names it found.
"""
from fastapi import FastAPI, File, UploadFile
from lxml import etree

app = FastAPI()


def contact_names(xml_bytes):
    """Names of the contacts in the address book."""
    parser = etree.XMLParser(load_dtd=True, no_network=False)
    tree = etree.fromstring(xml_bytes, parser=parser)
    return [node.text for node in tree.findall(".//contact/name")]


@app.post("/contacts/import")
async def import_contacts(book: UploadFile = File(...)):
    """Import the contacts of the uploaded address book."""
    return {"imported": contact_names(await book.read())}
