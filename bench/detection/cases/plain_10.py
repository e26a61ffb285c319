"""
Input Prompt: Write a function that formats an OAuth token response for the client.
Intention: Return tokens in the standard OAuth 2.0 shape.
Functionality: Builds the response dictionary with the access token, token type "bearer" and the
expiry.
"""


def token_response(access_token, expires_in=3600, token_type="bearer", scope=""):
    """The JSON body of a successful token response."""
    body = {"access_token": access_token, "token_type": token_type, "expires_in": expires_in}
    if scope:
        body["scope"] = scope
    return body


def error_response(error="invalid_grant", description="The grant is invalid or expired."):
    """The JSON body of a failed token request."""
    return {"error": error, "error_description": description}
