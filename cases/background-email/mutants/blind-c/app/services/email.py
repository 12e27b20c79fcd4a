"""E-mail sending.

The application never talks to a mail server directly: it asks FastAPI for an
``EmailSender`` through the :func:`get_email_sender` dependency.  The default
sender only writes a log record, so it works in every environment (there is no
mail server anywhere this service runs).  Deployments and tests substitute
their own sender with
``app.dependency_overrides[get_email_sender] = lambda: other_sender``.
"""

import logging
import smtplib
from typing import Protocol, runtime_checkable

logger = logging.getLogger("app.email")

WELCOME_SUBJECT = "Welcome to Acme!"


@runtime_checkable
class EmailSender(Protocol):
    """Anything with a synchronous ``send(to, subject, body)`` method."""

    def send(self, to: str, subject: str, body: str) -> None: ...


class LoggingEmailSender:
    """Default sender: records the e-mail in the log, never opens a connection."""

    def send(self, to: str, subject: str, body: str) -> None:
        logger.info("E-mail to %s, subject %r (log-only sender)", to, subject)


_default_sender = LoggingEmailSender()


def get_email_sender() -> EmailSender:
    """Return the application's e-mail sender (FastAPI dependency)."""
    return _default_sender


def build_welcome_body(email: str) -> str:
    """Plain-text welcome message. Contains the address, never any credential."""
    return (
        "Hello,\n\n"
        f"Thank you for registering with Acme. Your account {email} is ready.\n\n"
        "-- The Acme team\n"
    )


def send_welcome_email(sender: EmailSender, to: str) -> None:
    """Background task: send the welcome e-mail, never letting a failure escape.

    Runs after the response has been sent, so any exception here could only
    surface as a server error in the logs; it is caught and logged instead.
    """
    try:
        sender.send(to, WELCOME_SUBJECT, build_welcome_body(to))
    except (OSError, smtplib.SMTPException):
        logger.exception("Failed to send the welcome e-mail to %s", to)
