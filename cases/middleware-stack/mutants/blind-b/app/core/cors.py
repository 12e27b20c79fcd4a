"""CORS policy for the browser front-ends.

Allowed origins come from the ``CORS_ORIGINS`` environment variable, a
comma-separated list of exact origins (scheme, host and port).  Credentials
are allowed, so every list below is explicit: browsers do not honour ``*``
for credentialed requests.
"""

import os
from collections.abc import Mapping

CORS_ORIGINS_ENV = "CORS_ORIGINS"

ALLOWED_METHODS: tuple[str, ...] = ("GET", "POST", "PUT", "PATCH", "DELETE")
ALLOWED_HEADERS: tuple[str, ...] = ("Authorization", "Content-Type", "X-Request-ID")
EXPOSED_HEADERS: tuple[str, ...] = ("X-Request-ID", "X-Process-Time")
PREFLIGHT_MAX_AGE_SECONDS = 600


def parse_cors_origins(raw: str | None) -> list[str]:
    """Split a comma-separated origin list, dropping whitespace and empty entries.

    ``None`` (variable unset) and ``""`` both mean: no origin is allowed.
    """
    if not raw:
        return []
    origins: list[str] = []
    for origin in raw.split(","):
        if origin and origin not in origins:
            origins.append(origin)
    return origins


def cors_origins_from_env(environ: Mapping[str, str] | None = None) -> list[str]:
    env = os.environ if environ is None else environ
    return parse_cors_origins(env.get(CORS_ORIGINS_ENV))
