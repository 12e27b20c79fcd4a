"""E-mail sending behind an injectable dependency (no mail server in development)."""

import logging
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol


class EmailSender(Protocol):
    def send(self, to: str, subject: str, body: str) -> None: ...


@dataclass(frozen=True)
class LoggingEmailSender:
    """Writes each outgoing message to the ``app.email`` log; delivers nothing."""

    logger_name: str = "app.email"

    def send(self, to: str, subject: str, body: str) -> None:
        logging.getLogger(self.logger_name).info(
            "[email] to=%s subject=%s", to, subject
        )


@lru_cache
def get_email_sender() -> EmailSender:
    """The process-wide sender; override it with ``app.dependency_overrides``."""
    return LoggingEmailSender()
