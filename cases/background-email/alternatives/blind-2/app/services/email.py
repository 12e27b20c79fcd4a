"""Pluggable e-mail senders.

``get_email_sender`` is the FastAPI dependency through which request handlers
obtain a sender; other deployments swap it with ``app.dependency_overrides``.
The default implementation writes the e-mail to the ``app.email`` log and never
opens a network connection.
"""

import logging
from abc import ABC, abstractmethod

email_logger = logging.getLogger("app.email")


class EmailSender(ABC):
    """Interface of every e-mail sender: one synchronous ``send`` method."""

    @abstractmethod
    def send(self, to: str, subject: str, body: str) -> None:
        """Deliver one plain-text e-mail."""


class LogEmailSender(EmailSender):
    """Network-free sender: one INFO record per e-mail on ``app.email``."""

    def send(self, to: str, subject: str, body: str) -> None:
        email_logger.info('Sending e-mail to <%s>, subject "%s"', to, subject)


def get_email_sender() -> EmailSender:
    """FastAPI dependency returning the application's e-mail sender."""
    return LogEmailSender()
