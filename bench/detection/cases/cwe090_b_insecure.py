"""
Input Prompt: Write a script that finds the members of an LDAP group given on the command line using ldap3.
Intention: Help administrators audit group membership.
Functionality: Takes the group name from argparse and formats it into the search filter of an
ldap3 connection.
"""
import argparse

from ldap3 import ALL, Connection, Server


def group_filter(group):
    """LDAP filter that matches the group."""
    return "(&(objectClass=groupOfNames)(cn={}))".format(group)


def main():
    """Print every member DN of the group."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("group")
    args = parser.parse_args()
    server = Server("ldap.example.org", get_info=ALL)
    conn = Connection(server, auto_bind=True)
    conn.search("dc=example,dc=org", group_filter(args.group), attributes=["member"])
    for entry in conn.entries:
        for member in entry.member.values:
            print(member)


if __name__ == "__main__":
    main()
