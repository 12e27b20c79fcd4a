"""Outgoing e-mail.

``get_email_sender`` is the injection point: routes depend on it with
``Depends(get_email_sender)``, so tests and other deployments can swap the sender with
``app.dependency_overrides``. The default sender never talks to a mail server: it only
logs what it would have sent.
"""

import logging
import smtplib
from email.message import EmailMessage
from typing import Protocol

logger = logging.getLogger("app.email")

WELCOME_SUBJECT = "Welcome to Acme!"


class EmailSender(Protocol):
    def send(self, to: str, subject: str, body: str) -> None: ...


class ConsoleEmailSender:
    """Development sender: logs recipient and subject instead of delivering."""

    def send(self, to: str, subject: str, body: str) -> None:
        logger.info("Email to %s, subject %r (%d characters)", to, subject, len(body))


def get_email_sender() -> EmailSender:
    """Dependency returning the application's e-mail sender."""
    return ConsoleEmailSender()


def build_welcome_body(email: str) -> str:
    return (
        f"Hello {email},\n\n"
        "Thanks for signing up for Acme. Your account is ready: "
        "sign in with this e-mail address.\n\n"
        "The Acme team\n"
    )


def send_welcome_email(sender: EmailSender, email: str) -> None:
    """Background task: send the welcome e-mail; a failure is logged, never raised."""
    try:
        sender.send(to=email, subject=WELCOME_SUBJECT, body=build_welcome_body(email))
    except Exception:
        logger.exception("Could not send the welcome email to %s", email)


class SmtpEmailSender:
    """Delivers through an SMTP relay."""

    def __init__(self, host: str = "localhost", port: int = 25) -> None:
        self.host = host
        self.port = port

    def send(self, to: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"] = "no-reply@acme.example"
        message["To"] = to
        message["Subject"] = subject
        message.set_content(body)
        with smtplib.SMTP(self.host, self.port, timeout=5) as smtp:
            smtp.send_message(message)
