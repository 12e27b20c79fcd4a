"""The run folder: ``reports/<run-id>/``.

::

    run.json                      RunInfo
    results.jsonl                 one SampleResult per line, appended + fsynced as each ends
    results.parquet               the same rows, flattened, written at the end
    samples/<case>/<variant>-<k>/ transcript.json, workspace/, grades.json, stdout/stderr
    report.html

``results.jsonl`` is the source of truth: a crash can tear only its last line, which is
ignored on reading, so a resumed run re-does at most the sample that was being written.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from evals.errors import StoreError
from evals.records import RunInfo, SampleResult, Transcript

RESULTS = "results.jsonl"


def new_run_id(agent_sha: str) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return f"{stamp}-{agent_sha[:6]}-{secrets.token_hex(2)}"


def _storage_error(exc: OSError, path: Path) -> StoreError:
    if exc.errno == errno.ENOSPC:
        return StoreError(
            "no space left on the device: free some space and resume the run", path=path
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return StoreError(
            "cannot write here (permission denied or read-only); use --out", path=path
        )
    return StoreError(f"cannot write: {exc.strerror or exc}", path=path)


class RunStore:
    """Reads and writes one run folder."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._lock_handle: int | None = None

    # --- creating and opening -----------------------------------------------------------------

    @classmethod
    def create(cls, parent: Path, run_id: str) -> RunStore:
        root = Path(parent) / run_id
        try:
            root.mkdir(parents=True, exist_ok=False)
        except FileExistsError:
            raise StoreError("run folder already exists", path=root) from None
        except OSError as exc:
            raise _storage_error(exc, root) from None
        return cls(root)

    @classmethod
    def open(cls, root: Path) -> RunStore:
        store = cls(Path(root))
        if not (store.root / "run.json").is_file():
            raise StoreError("not a run folder (no run.json)", path=store.root)
        return store

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the run's lock: two processes never write the same run at once."""
        path = self.root / ".lock"
        handle = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise StoreError("another process is writing this run", path=self.root) from None
            yield
        finally:
            os.close(handle)

    # --- run.json -------------------------------------------------------------------------------

    def write_info(self, info: RunInfo) -> None:
        self._atomic_write(self.root / "run.json", info.model_dump_json(indent=2))

    def read_info(self) -> RunInfo:
        path = self.root / "run.json"
        try:
            return RunInfo.model_validate_json(path.read_text(encoding="utf-8"))
        except (OSError, ValidationError) as exc:
            raise StoreError(f"run.json is unreadable: {exc}", path=path) from None

    # --- samples --------------------------------------------------------------------------------

    def sample_dir(self, case_id: str, dirname: str) -> Path:
        return self.root / "samples" / case_id / dirname

    def write_transcript(self, sample_dir: Path, transcript: Transcript) -> None:
        self._atomic_write(sample_dir / "transcript.json", transcript.model_dump_json(indent=1))

    def read_transcript(self, sample_dir: Path) -> Transcript:
        path = sample_dir / "transcript.json"
        try:
            return Transcript.model_validate_json(path.read_text(encoding="utf-8"))
        except (OSError, ValidationError) as exc:
            raise StoreError(f"transcript is unreadable: {exc}", path=path) from None

    def append_result(self, result: SampleResult) -> None:
        """Append one row and fsync it: once this returns, the sample is never lost."""
        sample_dir = self.root / result.sample_dir
        self._atomic_write(
            sample_dir / "grades.json",
            json.dumps({k: v.model_dump() for k, v in result.grades.items()}, indent=1),
        )
        line = result.model_dump_json() + "\n"
        path = self.root / RESULTS
        try:
            with open(path, "a+b") as handle:
                # A crash can leave a torn last line without its newline: end it first, so
                # the new row stays readable (the torn one is skipped on reading).
                if handle.tell() > 0:
                    handle.seek(-1, os.SEEK_END)
                    if handle.read(1) != b"\n":
                        line = "\n" + line
                handle.write(line.encode("utf-8"))
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            raise _storage_error(exc, path) from None

    def results(self) -> list[SampleResult]:
        """Every complete row; a torn or corrupt line is skipped; the last row per key wins."""
        path = self.root / RESULTS
        if not path.exists():
            return []
        rows: dict[tuple[str, str, int], SampleResult] = {}
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if not line.strip():
                continue
            try:
                row = SampleResult.model_validate_json(line)
            except ValidationError:
                continue
            rows[row.key] = row
        return list(rows.values())

    def rewrite_results(self, rows: list[SampleResult]) -> None:
        """Replace results.jsonl (re-grading), atomically."""
        text = "".join(r.model_dump_json() + "\n" for r in rows)
        self._atomic_write(self.root / RESULTS, text)

    # --- helpers --------------------------------------------------------------------------------

    def _atomic_write(self, path: Path, text: str) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            with open(tmp, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except OSError as exc:
            raise _storage_error(exc, path) from None


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
