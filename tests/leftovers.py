"""What a run may leave behind on the host: processes still alive, found by a marker.

Other runs (other people's tests) share the machine and the sandbox's uid range, so a check
for "nothing left running" looks for processes that carry a marker only one test knows: a
token in the command line, or a private folder in the command line or working directory.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable


def survivors(markers: Iterable[str]) -> list[str]:
    """``pid: command line`` of every live process whose cmdline or cwd holds a marker."""
    wanted = [m for m in markers if m]
    found = []
    me = os.getpid()
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit() or int(entry.name) == me:
            continue
        try:
            with open(f"/proc/{entry.name}/cmdline", "rb") as handle:
                cmdline = handle.read().replace(b"\0", b" ").decode(errors="replace")
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                if handle.read().split(b") ", 1)[-1][:1] == b"Z":
                    continue  # a zombie is dead, merely not yet reaped by its parent
        except OSError:
            continue
        try:
            cwd = os.readlink(f"/proc/{entry.name}/cwd")
        except OSError:
            cwd = ""
        if any(m in cmdline or m in cwd for m in wanted):
            found.append(f"{entry.name}: {cmdline[:200]}")
    return found


def survivors_after(markers: Iterable[str], grace_s: float = 10.0) -> list[str]:
    """:func:`survivors`, once they had ``grace_s`` to die (killing a namespace is not instant)."""
    deadline = time.monotonic() + grace_s
    while (found := survivors(markers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return found
