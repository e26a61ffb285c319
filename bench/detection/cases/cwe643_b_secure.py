"""
Input Prompt: Write a command-line tool that checks a username and password against users.xml.
Intention: A small offline credential check for a kiosk application.
Functionality: Asks for the username and password, compiles one XPath expression with variables
and binds the values when evaluating it.
"""
import getpass

from lxml import etree

USER_QUERY = etree.XPath("/users/user[@name=$name and @hash=$digest]")


def check_login(tree, name, password_hash):
    """True when a user with these credentials exists."""
    return bool(USER_QUERY(tree, name=name, digest=password_hash))


if __name__ == "__main__":
    import hashlib

    users = etree.parse("users.xml")
    login = input("Username: ")
    secret = getpass.getpass("Password: ")
    digest = hashlib.sha256(secret.encode()).hexdigest()
    print("welcome" if check_login(users, login, digest) else "denied")
