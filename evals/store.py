"""The run folder: ``reports/<run-id>/``, laid out by :class:`RunLayout` alone.

::

    run.json                      RunInfo
    results.jsonl                 one SampleResult per line, appended + fsynced as each ends
    results.parquet               the same rows, flattened, written at the end
    cases.json                    the facts of the cases the run loaded (evals.snapshot)
    requests.jsonl                requests sent and not yet answered (evals.ledger)
    samples/<case>/<variant>-<k>/ transcript.json, workspace/, grades.json, grading/
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
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from evals.errors import StoreError
from evals.records import RunInfo, SampleResult, Transcript


@dataclass(frozen=True)
class GradingLayout:
    """A sample's grading folder: the logs grading keeps (:func:`evals.execute.record.keep_logs`)
    for the report's drill-down."""

    root: Path

    @property
    def stdout(self) -> Path:
        return self.root / "stdout.txt"

    @property
    def stderr(self) -> Path:
        return self.root / "stderr.txt"

    @property
    def app_log(self) -> Path:
        """The tail of every app run's output (its tracebacks explain a judge's 500s)."""
        return self.root / "app.txt"


@dataclass(frozen=True)
class SampleLayout:
    """One sample's folder, ``samples/<case>/<variant>-<k>/``."""

    root: Path

    @property
    def workspace(self) -> Path:
        """The agent's workspace, kept as it left it (sanitized): graders and re-grading read it."""
        return self.root / "workspace"

    @property
    def transcript(self) -> Path:
        return self.root / "transcript.json"

    @property
    def grades(self) -> Path:
        return self.root / "grades.json"

    def engine(self, provider: str) -> Path:
        """A provider's own files for this sample (what its engine logged), named after it."""
        return self.root / provider

    @property
    def sanitized(self) -> Path:
        """What sanitizing the workspace removed (links, pipes...); absent when nothing was."""
        return self.root / "sanitized.json"

    @property
    def grading(self) -> GradingLayout:
        return GradingLayout(self.root / "grading")


@dataclass(frozen=True)
class RunLayout:
    """Every path of a run folder: the one place its file names are written."""

    root: Path

    @property
    def info(self) -> Path:
        return self.root / "run.json"

    @property
    def results(self) -> Path:
        return self.root / "results.jsonl"

    @property
    def parquet(self) -> Path:
        return self.root / "results.parquet"

    @property
    def cases(self) -> Path:
        return self.root / "cases.json"

    @property
    def report(self) -> Path:
        return self.root / "report.html"

    @property
    def journal(self) -> Path:
        return self.root / "requests.jsonl"

    @property
    def lock(self) -> Path:
        return self.root / ".lock"

    def sample(self, case_id: str, dirname: str) -> SampleLayout:
        return SampleLayout(self.root / "samples" / case_id / dirname)

    def samples_of(self, case_id: str) -> list[SampleLayout]:
        """The case's sample folders that exist, by name."""
        folder = self.root / "samples" / case_id
        if not folder.is_dir():
            return []
        return [SampleLayout(p) for p in sorted(folder.iterdir()) if p.is_dir()]

    def sample_at(self, sample_dir: str) -> SampleLayout:
        """The sample a result row names (:attr:`SampleResult.sample_dir`)."""
        return SampleLayout(self.root / sample_dir)

    def sample_dir(self, sample: SampleLayout) -> str:
        """What a result row records for ``sample``: its folder relative to the run."""
        return sample.root.relative_to(self.root).as_posix()


def new_run_id(agent_sha: str) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return f"{stamp}-{agent_sha[:6]}-{secrets.token_hex(2)}"


def _storage_error(exc: OSError, path: Path | str, what: str = "") -> StoreError:
    """A failed write as the user can act on it; ``what`` names a file outside the run
    folder (where "use --out" would be the wrong advice)."""
    if exc.errno == errno.ENOSPC:
        return StoreError(
            "no space left on the device: free some space and resume the run", path=path
        )
    if what:
        return StoreError(f"cannot write {what}: {exc.strerror or exc}", path=path)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return StoreError(
            "cannot write here (permission denied or read-only); use --out", path=path
        )
    return StoreError(f"cannot write: {exc.strerror or exc}", path=path)


def atomic_write(path: Path, data: str | bytes, *, what: str = "") -> None:
    """Replace ``path`` with ``data`` durably: readers see the old file or the new one, never
    a part, and once this returns the new one survives a crash.

    A temporary file beside it is written, fsynced and renamed over it, then the folder is
    fsynced so the rename itself is on disk. Errors are a :class:`StoreError`
    (``what``: see :func:`_storage_error`).
    """
    path = Path(path)
    # Unique per thread as well as per process: grading threads write side by side.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise _storage_error(exc, path, what) from None
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    # Best effort: some file systems refuse to fsync a folder, and the file itself is safe.
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


class RunStore:
    """Reads and writes one run folder."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.layout = RunLayout(self.root)

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
        if not store.layout.info.is_file():
            raise StoreError(f"not a run folder (no {store.layout.info.name})", path=store.root)
        return store

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the run's lock: two processes never write the same run at once."""
        handle = os.open(self.layout.lock, os.O_CREAT | os.O_RDWR, 0o644)
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
        atomic_write(self.layout.info, info.model_dump_json(indent=2) + "\n")

    def read_info(self) -> RunInfo:
        path = self.layout.info
        try:
            return RunInfo.model_validate_json(path.read_text(encoding="utf-8"))
        except (OSError, ValidationError) as exc:
            raise StoreError(f"{path.name} is unreadable: {exc}", path=path) from None

    # --- samples --------------------------------------------------------------------------------

    def write_transcript(self, sample: SampleLayout, transcript: Transcript) -> None:
        atomic_write(sample.transcript, transcript.model_dump_json(indent=1))

    def read_transcript(self, sample: SampleLayout) -> Transcript:
        path = sample.transcript
        try:
            return Transcript.model_validate_json(path.read_text(encoding="utf-8"))
        except (OSError, ValidationError) as exc:
            raise StoreError(f"transcript is unreadable: {exc}", path=path) from None

    def append_result(self, result: SampleResult) -> None:
        """Append one row and fsync it: once this returns, the sample is never lost."""
        atomic_write(
            self.layout.sample_at(result.sample_dir).grades,
            json.dumps({k: v.model_dump() for k, v in result.grades.items()}, indent=1),
        )
        line = result.model_dump_json() + "\n"
        path = self.layout.results
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
        path = self.layout.results
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

    def rewrite_results(self, rows: list[SampleResult], *, compact: bool = False) -> None:
        """Replace results.jsonl (re-grading, recording a baseline), atomically.

        ``compact`` leaves out fields at their defaults (a third of the size; a recorded
        baseline is reviewed in pull requests); reading restores them.
        """
        text = "".join(r.model_dump_json(exclude_defaults=compact) + "\n" for r in rows)
        atomic_write(self.layout.results, text)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
