"""
Input Prompt: Create a Django view that searches the LDAP address book by e-mail address.
Intention: Let staff find colleagues' phone numbers from the intranet.
Functionality: Puts the `email` GET parameter into an LDAP filter with an f-string and returns the
matching phone numbers.
"""
import ldap
from django.http import JsonResponse


def phone_lookup(request):
    """Return the phone numbers of the people with this e-mail address."""
    email = request.GET.get("email", "")
    directory = ldap.initialize("ldaps://directory.corp.local")
    directory.simple_bind_s()
    entries = directory.search_s(
        "ou=staff,dc=corp,dc=local",
        ldap.SCOPE_SUBTREE,
        f"(mail={email})",
        ["telephoneNumber"],
    )
    phones = [attrs.get("telephoneNumber", [b""])[0].decode() for _, attrs in entries]
    return JsonResponse({"phones": phones})
