"""
Input Prompt: Write a function that builds the login form fields description for a web form generator.
Intention: Describe which inputs the login form has, for a front-end form builder.
Functionality: Returns a list of field dictionaries with names, labels and input types, including
the password field.
"""


def login_form_fields(password_field="password", username_field="username"):
    """Field descriptions of the login form."""
    return [
        {"name": username_field, "label": "User name", "type": "text", "required": True},
        {"name": password_field, "label": "Password", "type": "password", "required": True},
        {"name": "remember", "label": "Remember me", "type": "checkbox", "required": False},
    ]


def field_names(fields):
    """The names of the fields, in order."""
    return [field["name"] for field in fields]
