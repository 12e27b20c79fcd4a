"""Cheap password hashing in the test process only: the same hash formats at minimum cost.

A hidden suite registers and logs in dozens of users. At their default costs a bcrypt hash
takes ~0.3 s (12 rounds) and an argon2id hash of argon2-cffi or pwdlib ~0.1-0.3 s (t=3,
m=64 MiB, p=4), several times that on a busy machine, and verifying costs as much again: hashing
then dominates grading (a pwdlib-argon2 suite took 15.8 s instead of 2.5 s). Test settings
commonly lower the cost; this does it for generated code, which cannot be edited:

- bcrypt: ``gensalt`` at most 4 rounds (``$2b$04$...``);
- argon2-cffi (and pwdlib's ``Argon2Hasher``, built on it): ``t=1, m=8 KiB, p=1``
  (``$argon2id$v=19$m=8,t=1,p=1$<salt>$<digest>``), salt and digest lengths unchanged;
- ``check_needs_rehash`` (argon2-cffi, pwdlib's bcrypt hasher) compares against the clamped
  cost, so an app that rehashes on login behaves as it would at full cost.

No verdict changes: the stored value is still a real salted hash in its self-describing
format (what the storage scan of :mod:`evals_runtime.probes.passwords` checks), verification
reads the cost from the hash, and a wrong password still fails. Everything is patched on the
classes and modules, so hashers the app built before the patch (at import) are clamped too.
Apps that call a low-level hashing function with explicit costs are left alone (correct,
only slower). Idempotent; a missing library is skipped.
"""

from __future__ import annotations

import dataclasses
from typing import Any

BCRYPT_ROUNDS = 4
ARGON2_TIME_COST = 1
ARGON2_MEMORY_KIB = 8  # argon2's minimum for one lane
ARGON2_PARALLELISM = 1


def cheapen_password_hashing() -> None:
    _clamp_bcrypt()
    _clamp_argon2()
    _clamp_pwdlib_bcrypt()


def _clamp_bcrypt() -> None:
    try:
        import bcrypt
    except ImportError:
        return
    original = bcrypt.gensalt
    if getattr(original, "__evals_clamped__", False):
        return

    def gensalt(rounds: int = BCRYPT_ROUNDS, prefix: bytes = b"2b") -> bytes:
        return original(rounds=min(rounds, BCRYPT_ROUNDS), prefix=prefix)

    gensalt.__evals_clamped__ = True  # type: ignore[attr-defined]
    bcrypt.gensalt = gensalt


def clamp_argon2_parameters(params: Any) -> Any:
    """argon2 ``Parameters`` with the test-time costs (never raised above the app's)."""
    parallelism = min(params.parallelism, ARGON2_PARALLELISM)
    return dataclasses.replace(
        params,
        time_cost=min(params.time_cost, ARGON2_TIME_COST),
        memory_cost=min(params.memory_cost, max(ARGON2_MEMORY_KIB, 8 * parallelism)),
        parallelism=parallelism,
    )


def _clamp_argon2() -> None:
    try:
        from argon2 import PasswordHasher
        from argon2._utils import extract_parameters
    except ImportError:
        return
    if getattr(PasswordHasher, "__evals_clamped__", False):
        return
    if not all(hasattr(PasswordHasher, n) for n in ("time_cost", "memory_cost", "parallelism")):
        return  # an argon2-cffi we do not know: leave it at full cost rather than break it

    def clamped(name: str) -> property:
        return property(lambda self: getattr(clamp_argon2_parameters(self._parameters), name))

    def check_needs_rehash(self: Any, hash: str | bytes) -> bool:
        if isinstance(hash, bytes):
            hash = hash.decode("ascii")
        return clamp_argon2_parameters(self._parameters) != extract_parameters(hash)

    # hash() reads the costs through these properties; verify() reads them from the hash.
    for name in ("time_cost", "memory_cost", "parallelism"):
        setattr(PasswordHasher, name, clamped(name))
    PasswordHasher.check_needs_rehash = check_needs_rehash  # type: ignore[method-assign]
    PasswordHasher.__evals_clamped__ = True  # type: ignore[attr-defined]


def _clamp_pwdlib_bcrypt() -> None:
    try:
        from pwdlib.hashers.bcrypt import BcryptHasher
    except ImportError:
        return
    original = BcryptHasher.check_needs_rehash
    if getattr(original, "__evals_clamped__", False):
        return

    def check_needs_rehash(self: Any, hash: str | bytes) -> bool:
        # The hash was made at min(rounds, 4): compare against that, not the app's rounds.
        view = object.__new__(type(self))
        view.__dict__.update(self.__dict__)
        view.rounds = min(int(self.rounds), BCRYPT_ROUNDS)
        return original(view, hash)

    check_needs_rehash.__evals_clamped__ = True  # type: ignore[attr-defined]
    BcryptHasher.check_needs_rehash = check_needs_rehash  # type: ignore[method-assign]
