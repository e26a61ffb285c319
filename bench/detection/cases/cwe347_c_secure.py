"""
Input Prompt: Write a function that validates a webhook's JWT and returns the event it carries.
Intention: Accept signed events from the payment provider.
Functionality: Decodes the token with PyJWT using only RS256 and the provider's public key, with
signature and expiry checks on, then returns the event claim.
"""
import jwt


def read_event(token, public_key):
    """Return the event carried in the token."""
    claims = jwt.decode(token, public_key, algorithms=["RS256"], options={"require": ["exp"]})
    return claims["event"]
