from datetime import UTC, datetime


def _now() -> datetime:
    return datetime.now(UTC)
