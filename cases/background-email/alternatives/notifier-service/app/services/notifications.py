"""User notifications built on the e-mail sender."""

import logging
from string import Template
from typing import Annotated

from fastapi import Depends
from starlette.concurrency import run_in_threadpool

from app.services.email import EmailSender, get_email_sender

log = logging.getLogger("app.email")

WELCOME_SUBJECT = "Welcome to Acme!"
WELCOME_TEMPLATE = Template(
    "Hi there,\n\nyour Acme account $email has been created.\n\nCheers,\nAcme\n"
)


class WelcomeNotifier:
    def __init__(self, sender: EmailSender) -> None:
        self._sender = sender

    async def deliver(self, email: str) -> None:
        """Run as a background task; the blocking send goes to the thread pool."""
        body = WELCOME_TEMPLATE.substitute(email=email)
        try:
            await run_in_threadpool(self._sender.send, email, WELCOME_SUBJECT, body)
        except Exception:
            log.exception("welcome e-mail to %s failed", email)


def get_welcome_notifier(
    sender: Annotated[EmailSender, Depends(get_email_sender)],
) -> WelcomeNotifier:
    return WelcomeNotifier(sender)
