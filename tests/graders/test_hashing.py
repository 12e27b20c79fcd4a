"""Cheap password hashing in the test process: minimum cost, same formats, same verdicts.

The clamp patches library classes process-wide, so each check runs in a child interpreter
(as it does in grading, where the plugin applies it inside the sandboxed test process).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from evals.execute import RUNTIME_DIR

PROBE = textwrap.dedent(
    """
    import json, sqlite3, time
    import argon2, bcrypt
    from pwdlib import PasswordHash
    from pwdlib.hashers.argon2 import Argon2Hasher
    from pwdlib.hashers.bcrypt import BcryptHasher

    # Built at import time, before the clamp, as a generated app would build them.
    owasp = PasswordHash((Argon2Hasher(memory_cost=19_456, time_cost=2, parallelism=1),))
    recommended = PasswordHash.recommended()
    cffi = argon2.PasswordHasher()
    pwd_bcrypt = PasswordHash((BcryptHasher(),))
    full_cost = cffi.hash("pw-before")

    from evals_runtime.hashing import cheapen_password_hashing
    from evals_runtime.probes.passwords import (
        assert_password_stored_safely, classify_slow_hash, verify_password_hash,
    )

    cheapen_password_hashing()
    cheapen_password_hashing()  # idempotent
    out = {}
    for name, hasher in (("owasp", owasp), ("recommended", recommended), ("bcrypt", pwd_bcrypt)):
        started = time.monotonic()
        stored = hasher.hash("Pw-secret-123")
        out[name] = {
            "hash": stored,
            "seconds": time.monotonic() - started,
            "scheme": classify_slow_hash(stored),
            "verifies": hasher.verify("Pw-secret-123", stored),
            "rejects": not hasher.verify("wrong", stored),
            "update": hasher.verify_and_update("Pw-secret-123", stored)[1],
            "probe_verifies": verify_password_hash(stored, "Pw-secret-123"),
        }
    raw = cffi.hash("x")
    out["cffi"] = {"hash": raw, "needs_rehash": cffi.check_needs_rehash(raw)}
    out["full_cost_still_verifies"] = cffi.verify(full_cost, "pw-before")
    out["full_cost_needs_rehash"] = cffi.check_needs_rehash(full_cost)
    out["gensalt"] = bcrypt.gensalt().decode()
    out["gensalt_12"] = bcrypt.gensalt(12).decode()

    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, hashed_password TEXT)")
    db.execute("INSERT INTO users VALUES (1, 'a@example.com', ?)", (out["owasp"]["hash"],))
    out["storage_scan"] = assert_password_stored_safely(db, "a@example.com", "Pw-secret-123").scheme
    print(json.dumps(out))
    """
)


def run_probe() -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(RUNTIME_DIR.parent), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_argon2_and_bcrypt_are_hashed_at_minimum_cost_in_their_own_formats():
    out = run_probe()
    for name in ("owasp", "recommended"):
        assert out[name]["hash"].startswith("$argon2id$v=19$m=8,t=1,p=1$"), out[name]
        assert out[name]["scheme"] == "argon2"
    assert out["bcrypt"]["hash"].startswith("$2b$04$")
    assert out["bcrypt"]["scheme"] == "bcrypt"
    assert out["gensalt"].startswith("$2b$04$") and out["gensalt_12"].startswith("$2b$04$")
    # Minimum cost: a few milliseconds at most, even on a busy machine (full cost: ~0.3-1 s).
    assert max(out[n]["seconds"] for n in ("owasp", "recommended", "bcrypt")) < 0.1


def test_verdicts_stay_the_same_with_cheap_hashes():
    out = run_probe()
    for name in ("owasp", "recommended", "bcrypt"):
        result = out[name]
        assert result["verifies"] and result["rejects"] and result["probe_verifies"], name
        # An app that rehashes on login sees an up-to-date hash, as it would at full cost.
        assert result["update"] is None, name
    assert out["cffi"]["needs_rehash"] is False
    assert out["full_cost_still_verifies"] is True
    assert out["full_cost_needs_rehash"] is True
    # The storage scan still finds a salted slow hash.
    assert out["storage_scan"] == "argon2"
