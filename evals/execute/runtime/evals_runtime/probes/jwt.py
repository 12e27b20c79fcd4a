"""JWT forgery probes: tokens an API protected by bearer JWTs must refuse.

The helpers build tokens the way an attacker (or a careless client) would: signed with the
right key but expired, signed with another key, with the signature stripped (``alg: none``),
with the payload edited after signing, or not a JWT at all. ``assert_rejected`` checks the
answer an OAuth2 bearer-protected route owes them: ``401`` with a ``WWW-Authenticate: Bearer``
challenge (RFC 6750 section 3).

Import it under another name in tests (``from evals_runtime.probes import jwt as jwt_probe``)
so it does not shadow pyjwt. Depends only on pyjwt and the standard library.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
from collections.abc import Mapping
from typing import Any

import jwt as pyjwt

HS256 = "HS256"
#: How far in the past ``expired_token`` puts ``exp``: well beyond any sane clock leeway.
EXPIRED_BY_S = 3600
#: Lifetime of the otherwise-valid tokens the helpers mint.
DEFAULT_LIFETIME_S = 600


def bearer(token: str) -> dict[str, str]:
    """Request headers carrying ``token`` as a bearer credential."""
    return {"Authorization": f"Bearer {token}"}


def claims_for(sub: str, *, lifetime_s: int = DEFAULT_LIFETIME_S, **extra: Any) -> dict[str, Any]:
    """Claims of an otherwise valid access token for ``sub``: ``iat`` now, ``exp`` ahead."""
    now = int(time.time())
    return {"sub": sub, "iat": now, "exp": now + lifetime_s, **extra}


def token_signed_with(secret: str, claims: Mapping[str, Any], *, algorithm: str = HS256) -> str:
    """A JWT over ``claims`` signed with ``secret`` (HS256 unless told otherwise)."""
    return pyjwt.encode(dict(claims), secret, algorithm=algorithm)


def valid_token(secret: str, sub: str, **extra: Any) -> str:
    """A token a correct server must accept: right key, HS256, ``sub``, ``exp`` ahead."""
    return token_signed_with(secret, claims_for(sub, **extra))


def expired_token(secret: str, sub: str, *, expired_by_s: int = EXPIRED_BY_S) -> str:
    """Correctly signed, but ``exp`` is ``expired_by_s`` seconds in the past."""
    now = int(time.time())
    claims = {"sub": sub, "iat": now - expired_by_s - 1800, "exp": now - expired_by_s}
    return token_signed_with(secret, claims)


def wrong_key_token(sub: str, *, lifetime_s: int = DEFAULT_LIFETIME_S) -> str:
    """Well-formed and unexpired, but signed with a random key the server cannot know."""
    return token_signed_with(secrets.token_hex(32), claims_for(sub, lifetime_s=lifetime_s))


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_json(value: Mapping[str, Any]) -> str:
    return _b64url(json.dumps(dict(value), separators=(",", ":")).encode("utf-8"))


def alg_none_token(claims: Mapping[str, Any]) -> str:
    """An unsigned token: header ``{"alg": "none"}``, the claims, an empty signature.

    Built by hand because pyjwt refuses to produce one with a key; a server that lets the
    token pick its own algorithm accepts it.
    """
    header = {"alg": "none", "typ": "JWT"}
    return f"{_b64url_json(header)}.{_b64url_json(claims)}."


def tampered_token(token: str, **changes: Any) -> str:
    """``token`` with its payload edited (``changes`` merged in) and the signature kept."""
    header, payload, signature = token.split(".")
    padded = payload + "=" * (-len(payload) % 4)
    claims = json.loads(base64.urlsafe_b64decode(padded))
    claims.update(changes)
    return f"{header}.{_b64url_json(claims)}.{signature}"


def malformed_tokens() -> dict[str, str]:
    """Bearer values that are not JWTs at all, by description."""
    header = _b64url_json({"alg": HS256, "typ": "JWT"})
    return {
        "a plain word": "not-a-jwt",
        "three dots of garbage": "abc.def.ghi",
        "two segments": f"{header}.{_b64url_json({'sub': 'x'})}",
        "four segments": f"{header}.{_b64url_json({'sub': 'x'})}.c2ln.c2ln",
        "non-JSON header": f"{_b64url(b'not json')}.{_b64url_json({'sub': 'x'})}.c2ln",
        "invalid base64": "!!!.@@@.###",
    }


def forged_tokens(secret: str, sub: str) -> dict[str, str]:
    """Every forgery above aimed at ``sub``, by description (malformed ones included).

    ``secret`` is the server's real key: the expired and tampered tokens use it, so only the
    defect named in the description makes them invalid.
    """
    valid = valid_token(secret, sub)
    forged = {
        "expired": expired_token(secret, sub),
        "signed with another key": wrong_key_token(sub),
        "alg none": alg_none_token(claims_for(sub)),
        "payload edited after signing": tampered_token(valid, exp=int(time.time()) + 86400),
    }
    forged.update({f"malformed ({label})": token for label, token in malformed_tokens().items()})
    return forged


def rejection_problem(response: Any) -> str | None:
    """Why ``response`` is not a proper bearer-token rejection, or ``None`` when it is."""
    if response.status_code != 401:
        return f"status {response.status_code} (expected 401): {response.text[:200]!r}"
    challenge = response.headers.get("www-authenticate", "")
    if not challenge.lower().startswith("bearer"):
        return f"401 without a 'WWW-Authenticate: Bearer' challenge (got {challenge!r})"
    return None


def assert_rejected(response: Any, what: str = "the request") -> None:
    """Assert ``response`` is ``401`` with ``WWW-Authenticate: Bearer ...``."""
    problem = rejection_problem(response)
    assert problem is None, (
        f"{what} must be refused with 401 + WWW-Authenticate: Bearer; got {problem}"
    )


def probe_forged_tokens(
    client: Any, method: str, url: str, *, secret: str, sub: str, **request: Any
) -> list[str]:
    """Send every forged token to ``method url``; return one finding per token let through.

    ``request`` is passed on to ``client.request`` (e.g. ``json=...``); headers are merged.
    """
    findings = []
    extra_headers = dict(request.pop("headers", None) or {})
    for label, token in forged_tokens(secret, sub).items():
        response = client.request(
            method, url, headers={**extra_headers, **bearer(token)}, **request
        )
        problem = rejection_problem(response)
        if problem is not None:
            findings.append(f"{method} {url} with a {label} token: {problem}")
    return findings
