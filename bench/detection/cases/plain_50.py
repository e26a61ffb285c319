"""
Input Prompt: Write a function that parses an uploaded XML feed of products into a list of dicts.
Intention: Import suppliers' product feeds.
Functionality: Parses the XML bytes with defusedxml.ElementTree (which refuses entity expansion
and external entities) and returns the sku, name and price of each <product>.
"""
from defusedxml import ElementTree


def parse_products(xml_bytes):
    """[{"sku", "name", "price"}] for each <product> element in the feed."""
    root = ElementTree.fromstring(xml_bytes)
    products = []
    for item in root.iter("product"):
        products.append({
            "sku": item.findtext("sku", default="").strip(),
            "name": item.findtext("name", default="").strip(),
            "price": float(item.findtext("price", default="0")),
        })
    return products
