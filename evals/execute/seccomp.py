"""A seccomp filter every sandbox runs under: the kernel keyring is out of reach.

Keyrings are kernel state keyed by uid, not by namespace, when the harness runs as root (no
user namespace): a sample that stored the hidden tests in its uid's user keyring could read
them back from a later sample, or from the agent's Bash tool, leased the same uid. Nothing
in a FastAPI app, pytest or a shell needs a keyring, so ``add_key``, ``request_key`` and
``keyctl`` fail with ``EPERM`` inside every sandbox, and a uid's keyrings are cleared when its
lease ends (:func:`clear_keyrings`), for keys stored before this filter existed.

The filter is a classic BPF program (what ``bwrap --seccomp FD`` and
``prctl(PR_SET_SECCOMP)`` take), written out here because it is eight instructions: check
the architecture (a 32-bit ``int 0x80`` or x32 call would reach other syscall numbers, so a
foreign architecture or the x32 bit is refused outright), load the syscall number, refuse the
three keyring calls, allow the rest.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import platform
import struct
import tempfile
from collections.abc import Iterator
from functools import cache

# <linux/filter.h>, <linux/seccomp.h>, <linux/audit.h>
_LD_W_ABS, _JEQ_K, _JSET_K, _RET_K = 0x20, 0x15, 0x45, 0x06
_SECCOMP_RET_ALLOW, _SECCOMP_RET_ERRNO = 0x7FFF0000, 0x00050000
_EPERM, _ENOSYS = 1, 38
_X32_BIT = 0x40000000
_ARCH_OFFSET, _NR_OFFSET = 4, 0

# machine -> (AUDIT_ARCH_*, (add_key, request_key, keyctl), whether x32 calls must be refused)
_ARCHES = {
    "x86_64": (0xC000003E, (248, 249, 250), True),
    "aarch64": (0xC00000B7, (217, 218, 219), False),
}
KEYRING_SYSCALLS = ("add_key", "request_key", "keyctl")
_KEYCTL_CLEAR = 7
_KEY_SPEC_USER_KEYRING, _KEY_SPEC_USER_SESSION_KEYRING = -4, -5


def _insn(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return struct.pack("=HBBI", code, jt, jf, k)


@cache
def program() -> bytes | None:
    """The filter for this machine's architecture, or None where it is not known."""
    arch = _ARCHES.get(platform.machine())
    if arch is None:
        return None
    audit_arch, numbers, refuse_x32 = arch
    deny = _insn(_RET_K, _SECCOMP_RET_ERRNO | _EPERM)
    foreign = _insn(_RET_K, _SECCOMP_RET_ERRNO | _ENOSYS)
    body = [_insn(_LD_W_ABS, _NR_OFFSET)]
    if refuse_x32:
        body.append(_insn(_JSET_K, _X32_BIT, jt=len(numbers) + 2, jf=0))  # -> foreign
    for index, number in enumerate(numbers):
        # Jump over the remaining comparisons and the ALLOW to reach DENY.
        body.append(_insn(_JEQ_K, number, jt=len(numbers) - index, jf=0))
    body += [_insn(_RET_K, _SECCOMP_RET_ALLOW), deny, foreign]
    head = [
        _insn(_LD_W_ABS, _ARCH_OFFSET),
        # Not our architecture: skip the body and land on "foreign" (the last instruction).
        _insn(_JEQ_K, audit_arch, jt=0, jf=len(body) - 1),
    ]
    return b"".join(head + body)


@contextlib.contextmanager
def program_fd() -> Iterator[int | None]:
    """A readable descriptor holding the program (for ``bwrap --seccomp FD``), or None."""
    data = program()
    if data is None:
        yield None
        return
    with tempfile.TemporaryFile() as handle:
        handle.write(data)
        handle.flush()
        handle.seek(0)
        # Above the descriptors the sandbox's shell wrappers use (0-3).
        fd = fcntl.fcntl(handle.fileno(), fcntl.F_DUPFD, 10)
    try:
        yield fd
    finally:
        os.close(fd)


LAUNCHER = """
import ctypes, os, sys
prog = bytes.fromhex(sys.argv[1])
buf = ctypes.create_string_buffer(prog, len(prog))
class P(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]
p = P(len(prog) // 8, ctypes.cast(buf, ctypes.c_void_p))
libc = ctypes.CDLL(None, use_errno=True)
if libc.prctl(38, 1, 0, 0, 0) != 0 or libc.prctl(22, 2, ctypes.byref(p), 0, 0) != 0:
    sys.stderr.write("evals: cannot install the seccomp filter\\n")
    os._exit(125)
os.execvp(sys.argv[2], sys.argv[2:])
"""
"""Installs the filter in its own process, then becomes the command (levels without bwrap):
``PR_SET_NO_NEW_PRIVS`` (38) first, then ``PR_SET_SECCOMP`` (22) in filter mode (2)."""


def launcher_args(python: str) -> list[str]:
    """A prefix that runs the rest of a command line under the filter (empty when unknown)."""
    data = program()
    if data is None:
        return []
    return [python, "-I", "-S", "-c", LAUNCHER, data.hex()]


def clear_keyrings(uid: int) -> None:
    """Empty ``uid``'s user keyrings (root only; a no-op elsewhere).

    Done in a forked child that becomes ``uid``: a keyring is reached only by its owner's
    credentials. The child runs nothing but two system calls before ``_exit``.
    """
    arch = _ARCHES.get(platform.machine())
    if os.geteuid() != 0 or arch is None:
        return
    keyctl = arch[1][2]
    libc = _libc()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns to Python's test machinery
        try:
            os.setgroups([])
            os.setresgid(uid, uid, uid)
            os.setresuid(uid, uid, uid)
            for ring in (_KEY_SPEC_USER_KEYRING, _KEY_SPEC_USER_SESSION_KEYRING):
                libc.syscall(keyctl, _KEYCTL_CLEAR, ring)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


@cache
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)
