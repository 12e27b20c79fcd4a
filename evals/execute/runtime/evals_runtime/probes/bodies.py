"""Request-size probes: a body over the stated limit is refused, one at the limit is not.

An API that reads whatever it is sent can be made to fill its memory or disk by one client.
The contract usually names a limit (``1 MiB per upload``, ``10 kB of JSON``) and a status
for exceeding it: 413 Content Too Large, sometimes 422 when the limit is a schema
constraint. The probes send bodies of an exact size in one of three shapes:

- ``"multipart"``: a file part of ``size`` bytes in field ``field`` (uploads);
- ``"json"``: ``{field: "<size characters>"}`` (a text field with a length limit);
- ``"raw"``: ``size`` bytes as the whole request body.

Typical use in a hidden test::

    from evals_runtime.probes.bodies import assert_oversized_rejected

    def test_upload_limit(client):
        assert_oversized_rejected(
            client, "/api/v1/files", 1024 * 1024 + 1, expected=(413,),
            prefix=PNG_MAGIC, content_type="image/png",
        )
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

__all__ = [
    "Shape",
    "assert_oversized_rejected",
    "assert_size_accepted",
    "body_of_size",
    "send_sized",
]

Shape = Literal["multipart", "json", "raw"]

_PREVIEW = 200


def body_of_size(size: int, *, prefix: bytes = b"", fill: bytes = b"A") -> bytes:
    """``size`` bytes: ``prefix`` (e.g. a file type's magic bytes) then ``fill`` repeated."""
    if size < len(prefix):
        raise ValueError(f"size {size} is smaller than the {len(prefix)}-byte prefix")
    rest = size - len(prefix)
    return prefix + (fill * (rest // len(fill) + 1))[:rest]


def send_sized(
    client: Any,
    url: str,
    size: int,
    *,
    shape: Shape = "multipart",
    method: str = "POST",
    field: str = "file",
    filename: str = "payload.bin",
    content_type: str = "application/octet-stream",
    prefix: bytes = b"",
    headers: Mapping[str, str] | None = None,
) -> Any:
    """Send one request whose payload (file, JSON string or raw body) is ``size`` bytes."""
    payload = body_of_size(size, prefix=prefix)
    hdrs = dict(headers or {})
    if shape == "multipart":
        return client.request(
            method, url, files={field: (filename, payload, content_type)}, headers=hdrs
        )
    if shape == "json":
        text = payload.decode("latin-1")
        return client.request(method, url, json={field: text}, headers=hdrs)
    hdrs.setdefault("Content-Type", content_type)
    return client.request(method, url, content=payload, headers=hdrs)


def _preview(response: Any) -> str:
    text = response.text or ""
    return text if len(text) <= _PREVIEW else text[:_PREVIEW] + "..."


def _what(shape: str, size: int, field: str) -> str:
    if shape == "multipart":
        return f"a {size}-byte file in field {field!r}"
    if shape == "json":
        return f"a {size}-character JSON string in {field!r}"
    return f"a {size}-byte body"


def assert_oversized_rejected(
    client: Any,
    url: str,
    size: int,
    expected: Iterable[int] = (413, 422),
    *,
    shape: Shape = "multipart",
    method: str = "POST",
    field: str = "file",
    filename: str = "payload.bin",
    content_type: str = "application/octet-stream",
    prefix: bytes = b"",
    headers: Mapping[str, str] | None = None,
) -> Any:
    """A payload of ``size`` bytes (over the limit) is refused with one of ``expected``.

    Use ``prefix`` and ``content_type`` to make everything but the size valid (a real PNG
    header and ``image/png``), so the refusal is about the size and not the type.
    Returns the response.
    """
    allowed = tuple(expected)
    response = send_sized(
        client,
        url,
        size,
        shape=shape,
        method=method,
        field=field,
        filename=filename,
        content_type=content_type,
        prefix=prefix,
        headers=headers,
    )
    what = _what(shape, size, field)
    assert response.status_code in allowed, (
        f"{method} {url} with {what} (over the limit) must be refused with "
        f"{' or '.join(map(str, allowed))}, got {response.status_code}: {_preview(response)}"
    )
    return response


def assert_size_accepted(
    client: Any,
    url: str,
    size: int,
    expected: Iterable[int] = (200, 201),
    *,
    shape: Shape = "multipart",
    method: str = "POST",
    field: str = "file",
    filename: str = "payload.bin",
    content_type: str = "application/octet-stream",
    prefix: bytes = b"",
    headers: Mapping[str, str] | None = None,
) -> Any:
    """A payload of exactly ``size`` bytes (at the limit) is accepted: guards against
    off-by-one limits and limits applied to the whole request instead of the payload.
    Returns the response."""
    allowed = tuple(expected)
    response = send_sized(
        client,
        url,
        size,
        shape=shape,
        method=method,
        field=field,
        filename=filename,
        content_type=content_type,
        prefix=prefix,
        headers=headers,
    )
    what = _what(shape, size, field)
    assert response.status_code in allowed, (
        f"{method} {url} with {what} (within the limit) must be accepted with "
        f"{' or '.join(map(str, allowed))}, got {response.status_code}: {_preview(response)}"
    )
    return response
