"""
Input Prompt: Configure a Django project's settings for production deployment.
Intention: Settings module used by the production servers.
Functionality: Reads the secret key from the environment and sets cookie and host options; the
session and CSRF cookies are sent over plain HTTP and readable from JavaScript.
"""
import os

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["shop.example.com"]

SESSION_COOKIE_SECURE = False
SESSION_COOKIE_HTTPONLY = False
CSRF_COOKIE_SECURE = False
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
