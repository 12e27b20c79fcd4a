"""The welcome e-mail sent after a successful registration."""

from dataclasses import dataclass

from app.services.email import EmailSender, email_logger

WELCOME_SUBJECT = "Welcome to Acme!"

_WELCOME_TEMPLATE = """\
Hi there,

Welcome to Acme! Your account has been created for {email}.
You can now sign in with this address.

See you soon,
The Acme team
"""


@dataclass(frozen=True, slots=True)
class WelcomeEmail:
    to: str
    subject: str
    body: str

    @classmethod
    def for_address(cls, email: str) -> "WelcomeEmail":
        body = _WELCOME_TEMPLATE.format(email=email)
        return cls(to=email, subject=WELCOME_SUBJECT, body=body)


def deliver_welcome_email(sender: EmailSender, message: WelcomeEmail) -> None:
    """Background job. A failing sender is logged and swallowed, never re-raised."""
    try:
        sender.send(message.to, message.subject, message.body)
    except Exception:
        email_logger.exception("Welcome e-mail to %s could not be sent", message.to)
