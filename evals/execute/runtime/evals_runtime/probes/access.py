"""Access-control probes: authentication required, vertical (role) and horizontal (ownership)
access.

Horizontal access is the classic broken-object-level-authorization bug (OWASP API1): user B
reads, changes or deletes user A's object by guessing its URL. The checks here drive the app
through a ``TestClient`` only, so they hold for any implementation of the stated contract.

Every helper raises ``AssertionError`` with a message that names the request, the status it
got and what the contract wanted, so a failing hidden test reads as a finding.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

_BODY_PREVIEW = 300

# Methods whose refusal is checked by ``assert_resource_isolated`` unless told otherwise.
DEFAULT_METHODS: tuple[str, ...] = ("GET", "PUT", "PATCH", "DELETE")


def bearer(token: str) -> dict[str, str]:
    """The ``Authorization`` header for a bearer token."""
    return {"Authorization": f"Bearer {token}"}


def _preview(response: Any) -> str:
    text = response.text or ""
    return text if len(text) <= _BODY_PREVIEW else text[:_BODY_PREVIEW] + "..."


def _send(
    client: Any,
    method: str,
    url: str,
    *,
    token: str | None = None,
    json: Any = None,
    headers: Mapping[str, str] | None = None,
) -> Any:
    merged: dict[str, str] = dict(headers or {})
    if token is not None:
        merged.update(bearer(token))
    kwargs: dict[str, Any] = {"headers": merged}
    if json is not None:
        kwargs["json"] = json
    return client.request(method.upper(), url, **kwargs)


def assert_requires_auth(
    client: Any,
    method: str,
    url: str,
    *,
    json: Any = None,
    token: str | None = None,
) -> Any:
    """An anonymous request (or one with an invalid ``token``) gets 401 and a Bearer challenge.

    RFC 9110 requires ``WWW-Authenticate`` on every 401; FastAPI's ``OAuth2PasswordBearer``
    and ``HTTPBearer`` send ``Bearer``. Returns the response.
    """
    response = _send(client, method, url, token=token, json=json)
    who = "with an invalid token" if token is not None else "without credentials"
    assert response.status_code == 401, (
        f"{method.upper()} {url} {who} must be refused with 401 Unauthorized, "
        f"got {response.status_code}: {_preview(response)}"
    )
    challenge = response.headers.get("www-authenticate", "")
    assert challenge.lower().startswith("bearer"), (
        f"{method.upper()} {url} {who}: a 401 must carry 'WWW-Authenticate: Bearer', "
        f"got {challenge!r}"
    )
    return response


def assert_cannot_access(
    client: Any,
    method: str,
    url: str,
    token: str,
    *,
    json: Any = None,
    allowed_statuses: Iterable[int] = (403, 404),
) -> Any:
    """``token`` (someone without the right to ``url``) is refused with one of ``allowed_statuses``.

    Use ``allowed_statuses=(404,)`` when the contract hides the object's existence, ``(403,)``
    for role checks. Returns the response.
    """
    allowed = tuple(allowed_statuses)
    response = _send(client, method, url, token=token, json=json)
    assert response.status_code in allowed, (
        f"{method.upper()} {url} by a user who must not have access was answered "
        f"{response.status_code}, expected {' or '.join(map(str, allowed))}: {_preview(response)}"
    )
    return response


def assert_role_required(
    client: Any,
    method: str,
    url: str,
    *,
    denied_token: str,
    allowed_token: str,
    json: Any = None,
    allowed_statuses: Iterable[int] = (200,),
) -> Any:
    """A vertical check: anonymous gets 401, ``denied_token`` gets 403, ``allowed_token`` passes.

    Returns the allowed response.
    """
    assert_requires_auth(client, method, url, json=json)
    assert_cannot_access(client, method, url, denied_token, json=json, allowed_statuses=(403,))
    expected = tuple(allowed_statuses)
    response = _send(client, method, url, token=allowed_token, json=json)
    assert response.status_code in expected, (
        f"{method.upper()} {url} by a user with the required role was answered "
        f"{response.status_code}, expected {' or '.join(map(str, expected))}: {_preview(response)}"
    )
    return response


def assert_resource_isolated(
    client: Any,
    url: str,
    *,
    owner_token: str,
    intruder_token: str,
    put_body: Any = None,
    patch_body: Any = None,
    methods: Sequence[str] = DEFAULT_METHODS,
    allowed_statuses: Iterable[int] = (403, 404),
) -> dict[str, Any]:
    """Every method in ``methods`` on ``url`` by ``intruder_token`` is refused, and the owner
    then sees the resource exactly as before (nothing changed, nothing deleted).

    ``put_body`` / ``patch_body`` are sent with PUT / PATCH; make them valid, so a refusal
    is about ownership and not a 422. Returns the owner's view of the resource.
    """
    allowed = tuple(allowed_statuses)
    before = _send(client, "GET", url, token=owner_token)
    assert before.status_code == 200, (
        f"precondition: the owner must be able to GET {url}, got {before.status_code}: "
        f"{_preview(before)}"
    )
    bodies = {"PUT": put_body, "PATCH": patch_body}
    for method in methods:
        assert_cannot_access(
            client,
            method,
            url,
            intruder_token,
            json=bodies.get(method.upper()),
            allowed_statuses=allowed,
        )
    after = _send(client, "GET", url, token=owner_token)
    assert after.status_code == 200, (
        f"after another user's refused {', '.join(methods)} on {url}, the owner's GET got "
        f"{after.status_code} (the resource must still exist): {_preview(after)}"
    )
    assert after.json() == before.json(), (
        f"another user's refused requests changed {url}: before {before.json()!r}, "
        f"after {after.json()!r}"
    )
    return after.json()


def assert_list_excludes(
    client: Any,
    url: str,
    token: str,
    foreign_ids: Iterable[Any],
    *,
    key: str = "id",
) -> list[Any]:
    """The list at ``url`` seen with ``token`` holds none of ``foreign_ids`` (another user's
    objects). Accepts a bare JSON array or an object with an ``items`` array. Returns the items.
    """
    response = _send(client, "GET", url, token=token)
    assert response.status_code == 200, (
        f"GET {url} must answer 200, got {response.status_code}: {_preview(response)}"
    )
    items = list_items(response.json())
    seen = {item.get(key) for item in items if isinstance(item, dict)}
    leaked = [i for i in foreign_ids if i in seen]
    assert not leaked, f"GET {url} shows another user's objects ({key} {leaked!r}) to this caller"
    return items


def list_items(body: Any) -> list[Any]:
    """The items of a list response: a bare array, or the ``items`` array of an envelope."""
    if isinstance(body, list):
        return body
    if isinstance(body, dict) and isinstance(body.get("items"), list):
        return body["items"]
    raise AssertionError(f"expected a JSON array (or an object with 'items'), got {body!r}")
