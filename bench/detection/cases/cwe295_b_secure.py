"""
Input Prompt: Write a script that checks whether an HTTPS site is up using urllib.
Intention: A tiny uptime probe for cron.
Functionality: Uses the default SSL context, which verifies the certificate and host name, and
opens the URL given on the command line.
"""
import ssl
import sys
import urllib.request


def make_context():
    """SSL context used for the probe."""
    return ssl.create_default_context()


def is_up(url):
    """True when the site answers with a 2xx status."""
    if not url.startswith("https://"):
        raise ValueError("only https URLs are probed")
    with urllib.request.urlopen(url, context=make_context(), timeout=10) as response:
        return 200 <= response.status < 300


if __name__ == "__main__":
    print("up" if is_up(sys.argv[1]) else "down")
