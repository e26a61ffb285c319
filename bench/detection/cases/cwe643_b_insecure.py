"""
Input Prompt: Write a command-line tool that checks a username and password against users.xml.
Intention: A small offline credential check for a kiosk application.
Functionality: Asks for the username and password with input(), builds an XPath query with
ElementTree-compatible lxml and reports whether a matching user exists.
"""
import getpass

from lxml import etree


def user_query(name, password_hash):
    """XPath that selects the user with this name and password hash."""
    return "/users/user[@name='%s' and @hash='%s']" % (name, password_hash)


def check_login(tree, name, password_hash):
    """True when a user with these credentials exists."""
    return bool(tree.xpath(user_query(name, password_hash)))


if __name__ == "__main__":
    import hashlib

    users = etree.parse("users.xml")
    login = input("Username: ")
    secret = getpass.getpass("Password: ")
    digest = hashlib.sha256(secret.encode()).hexdigest()
    print("welcome" if check_login(users, login, digest) else "denied")
