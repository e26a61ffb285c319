"""
Input Prompt: Write a command-line tool that lists the groups a user belongs to, using python-ldap.
Intention: Help admins check group membership without opening the LDAP browser.
Functionality: Prompts for a username, escapes it with ldap.filter.escape_filter_chars, searches the
groups subtree for groups whose memberUid is that user and prints their common names.
"""
import ldap
from ldap.filter import escape_filter_chars

LDAP_URI = "ldap://directory.internal"
GROUPS_BASE = "ou=groups,dc=internal"


def groups_for(username):
    conn = ldap.initialize(LDAP_URI)
    conn.simple_bind_s()
    query = "(&(objectClass=posixGroup)(memberUid=%s))" % escape_filter_chars(username)
    results = conn.search_s(GROUPS_BASE, ldap.SCOPE_SUBTREE, query, ["cn"])
    conn.unbind_s()
    return [attrs["cn"][0].decode() for _, attrs in results]


def main():
    username = input("Username: ").strip()
    for name in groups_for(username):
        print(name)


if __name__ == "__main__":
    main()
