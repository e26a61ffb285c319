"""
Input Prompt: Write a function that e-mails a nightly report through the company's SMTP server.
Intention: Cron job that sends the sales summary to the managers.
Functionality: Connects to the SMTP server on port 587, upgrades the connection with STARTTLS
(certificate verified by the default SSL context), logs in with the credentials from the
environment and sends the report as a plain-text message.
"""
import os
import smtplib
import ssl
from email.message import EmailMessage


def send_report(body: str, recipients: list[str]) -> None:
    msg = EmailMessage()
    msg["Subject"] = "Nightly sales report"
    msg["From"] = os.environ["SMTP_USER"]
    msg["To"] = ", ".join(recipients)
    msg.set_content(body)
    server = smtplib.SMTP(os.environ.get("SMTP_HOST", "mail.example.com"), 587)
    try:
        server.starttls(context=ssl.create_default_context())
        server.login(os.environ["SMTP_USER"], os.environ["SMTP_PASSWORD"])
        server.send_message(msg)
    finally:
        server.quit()
