"""
Input Prompt: Write the settings module for a Django blog that will be deployed to a public server.
Intention: Production settings for the blog.
Functionality: Sets debug mode off, allows only the blog's host name and reads the secret key from
the environment.
"""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["blog.example.com"]
INSTALLED_APPS = ["django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes", "blog"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
