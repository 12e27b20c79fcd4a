"""Password-storage probes: scan the app's SQLite database for how a password was stored.

Schema-agnostic: tables and columns are discovered through ``sqlite_master`` and
``PRAGMA table_info``, and the user's row is found by its e-mail address, whatever the
table and column are called. Only the standard library is used (the optional
:func:`verify_password_hash` uses ``bcrypt``/``argon2`` when they are importable).

Typical use in a hidden test::

    from evals_runtime.probes.passwords import assert_password_stored_safely

    def test_password_is_hashed(client, db, unique_email):
        # a random part: no other stored value may contain the plaintext by chance
        email, password = unique_email(), f"Pw-{uuid.uuid4().hex[:12]}-7"
        client.post("/api/v1/users", json={"email": email, "password": password})
        assert_password_stored_safely(db, email, password)

Every ``assert_*`` function raises ``AssertionError`` with a message that says what was
found where (stored values are shown truncated, never in full).
"""

from __future__ import annotations

import base64
import hashlib
import re
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "PASSWORD_NAME_HINTS",
    "StoredHash",
    "UserRow",
    "assert_distinct_hashes",
    "assert_no_password_in_payload",
    "assert_password_stored_safely",
    "assert_plaintext_absent",
    "classify_slow_hash",
    "fast_hash_encodings",
    "find_password_columns",
    "find_rows_containing",
    "find_user_row",
    "list_tables",
    "looks_like_password_hash",
    "table_columns",
    "verify_password_hash",
]

# Column / JSON key names that suggest password material.
PASSWORD_NAME_HINTS = ("password", "passwd", "pwd", "pass_hash", "hash", "secret", "credential")

_FAST_ALGORITHMS = (
    "md5",
    "sha1",
    "sha224",
    "sha256",
    "sha384",
    "sha512",
    "sha3_256",
    "sha3_512",
    "blake2b",
    "blake2s",
)

# Self-describing slow-hash formats: algorithm, parameters and salt in one string.
_B64 = r"[A-Za-z0-9+/.\-_]"
_SLOW_HASH_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # $2b$12$ + 22 chars of salt + 31 chars of digest (bcrypt's own base64 alphabet)
    ("bcrypt", re.compile(r"^\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}$")),
    # $argon2id$v=19$m=65536,t=3,p=4$<salt>$<digest>  (v= is absent in very old versions)
    (
        "argon2",
        re.compile(
            r"^\$argon2(?:id|i|d)\$(?:v=\d+\$)?m=\d+,t=\d+,p=\d+(?:,[a-z]+=[^$]*)*"
            rf"\${_B64}{{8,}}={{0,2}}\${_B64}{{16,}}={{0,2}}$"
        ),
    ),
    # passlib/libpass: $scrypt$ln=16,r=8,p=1$<salt>$<digest>; werkzeug: scrypt:32768:8:1$s$d;
    # crypt(3) scrypt/yescrypt: $7$..., $y$...; hand-rolled "scrypt$n$r$p$salt$digest".
    (
        "scrypt",
        re.compile(
            rf"^(?:\$scrypt\$[^$]+\${_B64}+={{0,2}}\${_B64}{{16,}}={{0,2}}"
            rf"|scrypt[:$][^$]*\d[^$]*\$\S{{8,}}\$\S{{16,}}"
            rf"|\$7\$\S{{30,}}|\$y\$\S+\$\S+\$\S{{20,}})$"
        ),
    ),
    # passlib: $pbkdf2-sha256$29000$<salt>$<digest>; django: pbkdf2_sha256$600000$salt$digest;
    # werkzeug: pbkdf2:sha256:600000$salt$digest; hand-rolled "pbkdf2$sha256$iters$salt$digest".
    (
        "pbkdf2",
        re.compile(
            r"^\$?pbkdf2(?:[-_:$](?:hmac[-_])?sha\d+)?[:$](?:\d+[:$])?"
            rf"(?:\d+\$)?{_B64}{{8,}}={{0,2}}\${_B64}{{16,}}={{0,2}}$",
            re.IGNORECASE,
        ),
    ),
)

_SALT_MIN_LEN = 8


@dataclass(frozen=True)
class UserRow:
    """One row of the database that holds a given e-mail address."""

    table: str
    email_column: str
    values: Mapping[str, Any]


@dataclass(frozen=True)
class StoredHash:
    """Where a password hash was found and which slow-hash format it is in."""

    table: str
    column: str
    value: str
    scheme: str


# --- discovery ------------------------------------------------------------------------------


def list_tables(conn: sqlite3.Connection) -> list[str]:
    """User tables of the database (SQLite's internal ``sqlite_*`` tables excluded)."""
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ).fetchall()
    return [str(row[0]) for row in rows]


def table_columns(conn: sqlite3.Connection, table: str) -> list[str]:
    """Column names of ``table`` (via ``PRAGMA table_info``)."""
    return [str(row[1]) for row in conn.execute(f"PRAGMA table_info({_quote(table)})")]


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _as_text(value: Any) -> str | None:
    """A stored value as text (BLOBs decoded as UTF-8/latin-1), ``None`` for non-text."""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        raw = bytes(value)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw.decode("latin-1")
    return None


def _iter_rows(
    conn: sqlite3.Connection, tables: Iterable[str] | None = None
) -> Iterable[tuple[str, dict[str, Any]]]:
    for table in list_tables(conn) if tables is None else tables:
        columns = table_columns(conn, table)
        if not columns:
            continue
        cursor = conn.execute(f"SELECT * FROM {_quote(table)}")
        names = [d[0] for d in cursor.description]
        for row in cursor:
            yield table, dict(zip(names, row, strict=True))


def find_rows_containing(
    conn: sqlite3.Connection, needle: str, *, exact: bool = True, case_insensitive: bool = True
) -> list[tuple[str, str, dict[str, Any]]]:
    """Every ``(table, column, row)`` whose text value equals (or, ``exact=False``, contains)
    ``needle``."""
    target = needle.casefold() if case_insensitive else needle
    found: list[tuple[str, str, dict[str, Any]]] = []
    for table, row in _iter_rows(conn):
        for column, value in row.items():
            text = _as_text(value)
            if text is None:
                continue
            probe = text.casefold() if case_insensitive else text
            if (probe == target) if exact else (target in probe):
                found.append((table, column, row))
    return found


def find_user_row(conn: sqlite3.Connection, email: str) -> UserRow:
    """The row that stores ``email`` (compared case-insensitively, surrounding spaces ignored).

    When several tables hold the address (an audit table, say), the row that also holds a
    password-like value wins.
    """
    matches = find_rows_containing(conn, email.strip())
    if not matches:
        raise AssertionError(
            f"no row in the database holds the e-mail {email!r}: was the user persisted to "
            f"the database at DATABASE_URL? Tables found: {list_tables(conn) or 'none'}"
        )

    def score(match: tuple[str, str, dict[str, Any]]) -> int:
        _, _, row = match
        has_hash = any(looks_like_password_hash(v) for v in row.values())
        has_hint = any(_has_password_hint(c) for c in row)
        return 2 * has_hash + has_hint

    table, column, row = max(matches, key=score)
    return UserRow(table=table, email_column=column, values=row)


def _has_password_hint(name: str) -> bool:
    lowered = name.lower()
    return any(hint in lowered for hint in PASSWORD_NAME_HINTS)


def find_password_columns(
    conn: sqlite3.Connection,
    table_hint: str | None = None,
    known_plaintext: str | None = None,
) -> list[tuple[str, str]]:
    """``(table, column)`` pairs that look like they hold password material.

    A column qualifies by its name (``password``, ``hashed_password``, ``pwd_hash``...) or by
    its content (a recognised slow hash, or ``known_plaintext`` itself). ``table_hint``
    restricts the scan to tables whose name contains it (case-insensitive), when any does.
    """
    tables = list_tables(conn)
    if table_hint:
        hinted = [t for t in tables if table_hint.lower() in t.lower()]
        tables = hinted or tables
    found: list[tuple[str, str]] = []
    for table in tables:
        for column in table_columns(conn, table):
            if _has_password_hint(column):
                found.append((table, column))
    for table, row in _iter_rows(conn, tables):
        for column, value in row.items():
            if (table, column) in found:
                continue
            text = _as_text(value)
            if text is None:
                continue
            if looks_like_password_hash(text) or (known_plaintext and text == known_plaintext):
                found.append((table, column))
    return found


# --- classification -------------------------------------------------------------------------


def classify_slow_hash(value: Any) -> str | None:
    """``"bcrypt"``, ``"argon2"``, ``"scrypt"`` or ``"pbkdf2"`` when ``value`` is a
    self-describing salted slow hash in a recognised format, else ``None``."""
    text = _as_text(value)
    if text is None:
        return None
    text = text.strip()
    for scheme, pattern in _SLOW_HASH_PATTERNS:
        if pattern.match(text):
            return scheme
    return None


def looks_like_password_hash(value: Any) -> bool:
    """Whether ``value`` is a recognised slow hash or looks like a bare hex/base64 digest."""
    text = _as_text(value)
    if text is None:
        return False
    if classify_slow_hash(text):
        return True
    return bool(
        re.fullmatch(r"[0-9a-fA-F]{32,128}", text)
        or (
            re.fullmatch(r"[A-Za-z0-9+/_\-]{27,88}={0,2}", text)
            and any(ch.isdigit() for ch in text)
            and any(ch.isupper() for ch in text)
        )
    )


def _encodings(raw: bytes) -> set[str]:
    b64 = base64.b64encode(raw).decode()
    url = base64.urlsafe_b64encode(raw).decode()
    return {raw.hex(), raw.hex().upper(), b64, b64.rstrip("="), url, url.rstrip("=")}


def fast_hash_encodings(plaintext: str, salts: Sequence[str] = ()) -> dict[str, str]:
    """Map of stored-looking strings to a description, for encodings of ``plaintext``:
    hex/base64 of the plaintext itself and of unsalted (or ``salts``-salted, e.g. the
    e-mail) fast digests (MD5, SHA-1, SHA-2, SHA-3, BLAKE2)."""
    raw = plaintext.encode("utf-8")
    found: dict[str, str] = {}
    for encoded in _encodings(raw):
        found.setdefault(encoded, "a reversible encoding (hex/base64) of the plaintext")
    inputs: list[tuple[bytes, str]] = [(raw, "the password")]
    for salt in salts:
        s = salt.encode("utf-8")
        inputs += [(s + raw, f"{salt!r} + password"), (raw + s, f"password + {salt!r}")]
    for algorithm in _FAST_ALGORITHMS:
        for data, label in inputs:
            digest = hashlib.new(algorithm, data).digest()
            for encoded in _encodings(digest):
                found.setdefault(encoded, f"an unsalted fast {algorithm} digest of {label}")
    return found


def _preview(value: Any, limit: int = 24) -> str:
    text = _as_text(value)
    if text is None:
        return repr(value)
    return repr(text[:limit] + ("..." if len(text) > limit else ""))


def _contains_plaintext(text: str, plaintext: str) -> bool:
    return plaintext in text or plaintext.casefold() in text.casefold()


# --- assertions -----------------------------------------------------------------------------


def assert_plaintext_absent(conn: sqlite3.Connection, plaintext: str) -> None:
    """No column of any table equals, contains or reversibly encodes ``plaintext``."""
    encodings = {k: v for k, v in fast_hash_encodings(plaintext).items() if "reversible" in v}
    hits: list[str] = []
    for table, row in _iter_rows(conn):
        for column, value in row.items():
            text = _as_text(value)
            if text is None:
                continue
            if _contains_plaintext(text, plaintext):
                hits.append(f"{table}.{column} holds the plaintext password")
            elif any(enc in text for enc in encodings):
                hits.append(f"{table}.{column} holds the password hex/base64-encoded")
    if hits:
        raise AssertionError(
            "the password is stored recoverably: "
            + "; ".join(sorted(set(hits)))
            + ". Store only a salted slow hash (bcrypt or argon2)."
        )


def _primary_key(conn: sqlite3.Connection, table: str, row: Mapping[str, Any]) -> Any:
    pk = [str(r[1]) for r in conn.execute(f"PRAGMA table_info({_quote(table)})") if r[5]]
    if len(pk) == 1:
        return row.get(pk[0])
    return row.get("id")


def _linked_rows(conn: sqlite3.Connection, user: UserRow) -> list[tuple[str, dict[str, Any]]]:
    """Rows of other tables that point at the user (``user_id``/``account_id``-like column
    equal to the user's primary key): where a ``credentials`` table would keep the hash."""
    key = _primary_key(conn, user.table, user.values)
    if key is None:
        return []
    linked: list[tuple[str, dict[str, Any]]] = []
    for table, row in _iter_rows(conn, [t for t in list_tables(conn) if t != user.table]):
        for column, value in row.items():
            name = column.lower()
            is_fk = name.endswith("_id") and any(w in name for w in ("user", "account", "owner"))
            if is_fk and value == key:
                linked.append((table, row))
                break
    return linked


def assert_password_stored_safely(
    conn: sqlite3.Connection, email: str, plaintext: str
) -> StoredHash:
    """The user row for ``email`` stores ``plaintext`` only as a salted slow hash.

    Checks, in order: the row exists; no column anywhere holds the plaintext (or its
    hex/base64 encoding); no column of the row (or of a row linked to it through a
    ``user_id``-like column, e.g. a credentials table) holds a fast digest of it
    (MD5/SHA-*/BLAKE2, unsalted or salted with the e-mail); one of those columns holds a
    recognised self-describing slow hash (bcrypt ``$2b$``, argon2 ``$argon2id$``, scrypt,
    PBKDF2) with a salt. Returns where the hash was found.

    Use a ``plaintext`` with a random part, that no other stored value can contain.
    """
    user = find_user_row(conn, email)
    assert_plaintext_absent(conn, plaintext)

    candidates = [(user.table, dict(user.values)), *_linked_rows(conn, user)]
    fast = fast_hash_encodings(plaintext, salts=(email, email.lower().strip()))
    for table, row in candidates:
        for column, value in row.items():
            text = _as_text(value)
            if text is None:
                continue
            stripped = text.strip()
            if stripped in fast or stripped.lower() in fast:
                what = fast.get(stripped) or fast[stripped.lower()]
                raise AssertionError(
                    f"{table}.{column} stores {what}: fast digests are brute-forced at "
                    "billions of guesses a second and identical passwords give identical "
                    "values. Use a salted slow hash (bcrypt or argon2)."
                )

    hashes = [
        StoredHash(table, column, text.strip(), scheme)
        for table, row in candidates
        for column, value in row.items()
        if (text := _as_text(value)) is not None and (scheme := classify_slow_hash(text))
    ]
    if not hashes:
        shown = ", ".join(
            f"{column}={_preview(value)}"
            for column, value in user.values.items()
            if column != user.email_column
        )
        raise AssertionError(
            f"no column of the {user.table!r} row for {email!r} (nor of a row linked to it) "
            "holds a recognised salted slow password hash (bcrypt '$2b$...', argon2 "
            "'$argon2id$...', scrypt or PBKDF2 in a self-describing format with its salt). "
            f"Row columns: {shown}"
        )
    stored = hashes[0]
    _assert_has_salt(stored)
    return stored


def _assert_has_salt(stored: StoredHash) -> None:
    if stored.scheme == "bcrypt":
        return  # the 22-character salt is part of the matched format
    parts = [p for p in re.split(r"[$]", stored.value) if p]
    if len(parts) < 2 or len(parts[-2]) < _SALT_MIN_LEN:
        raise AssertionError(
            f"{stored.table}.{stored.column} holds a {stored.scheme} hash with no usable salt "
            f"({_preview(stored.value)}): the salt must be random and at least 8 characters."
        )


def assert_distinct_hashes(
    conn: sqlite3.Connection, emails: Sequence[str], plaintext: str
) -> list[StoredHash]:
    """Users registered with the same ``plaintext`` have different stored hashes (salted)."""
    stored = [assert_password_stored_safely(conn, email, plaintext) for email in emails]
    values = [s.value for s in stored]
    if len(set(values)) != len(values):
        raise AssertionError(
            f"{len(values)} users with the same password share a stored hash "
            f"({_preview(values[0])}): the hash is not salted with a random per-user salt."
        )
    return stored


def assert_no_password_in_payload(
    payload: Any,
    plaintext: str | None = None,
    *,
    where: str = "response",
    key_hints: Sequence[str] = PASSWORD_NAME_HINTS,
    strict: bool = False,
) -> None:
    """A decoded JSON payload carries no password material.

    Flags: a key whose name contains one of ``key_hints`` (``password``, ``hash``...); a
    string equal to or containing ``plaintext``, or a hex/base64 encoding or fast digest
    of it; a recognised slow hash (``$2b$...``, ``$argon2id$...``). With ``strict=True``
    any string that looks like a bare hex/base64 digest is flagged too (don't use it on
    payloads that legitimately carry tokens or upper-case UUIDs).
    """
    fast = fast_hash_encodings(plaintext) if plaintext else {}
    problems: list[str] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, Mapping):
            for key, value in node.items():
                child = f"{path}.{key}"
                if any(hint in str(key).lower() for hint in key_hints):
                    problems.append(f"key {child!r} exposes password material")
                walk(value, child)
        elif isinstance(node, list | tuple):
            for index, value in enumerate(node):
                walk(value, f"{path}[{index}]")
        elif isinstance(node, str):
            if plaintext and _contains_plaintext(node, plaintext):
                problems.append(f"{path} contains the submitted password")
            elif node.strip() in fast:
                problems.append(f"{path} holds {fast[node.strip()]}")
            elif classify_slow_hash(node):
                problems.append(f"{path} holds a password hash ({_preview(node)})")
            elif strict and looks_like_password_hash(node):
                problems.append(f"{path} looks like a password hash ({_preview(node)})")

    walk(payload, "$")
    if problems:
        raise AssertionError(f"the {where} leaks password material: " + "; ".join(problems))


# --- optional verification ------------------------------------------------------------------


def verify_password_hash(stored: str, plaintext: str) -> bool | None:
    """Whether ``stored`` is a hash of ``plaintext`` itself: ``True``/``False`` for bcrypt
    and argon2 when their libraries are importable, ``None`` when it cannot tell (other
    schemes, missing library, or an app that pre-hashes before bcrypt)."""
    scheme = classify_slow_hash(stored)
    raw = plaintext.encode("utf-8")
    try:
        if scheme == "bcrypt":
            import bcrypt

            if len(raw) > 72:
                return None
            return bool(bcrypt.checkpw(raw, stored.encode()))
        if scheme == "argon2":
            from argon2 import PasswordHasher
            from argon2.exceptions import VerificationError

            try:
                return bool(PasswordHasher().verify(stored, plaintext))
            except VerificationError:
                return False
    except ImportError:
        return None
    except ValueError:
        return False
    return None
