"""What a run needs to remember about its cases: ``reports/<run-id>/cases.json``.

The report diffs each sample's final files against the starting workspace, and the gate needs
each case's ``must_pass`` mark and content hash. Both must keep working after a case folder
changes or disappears, so the runner copies the facts of the cases it loaded (from a folder
or an exported dataset) into the run folder when the run starts; for older runs they are made
the first time they are needed, from the cases folder as it is then.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pydantic import Field, ValidationError

from evals.cases import Case, load_case, tree_hash
from evals.errors import CaseError, StoreError
from evals.records import Record
from evals.store import RunLayout, atomic_write


class MutantFacts(Record):
    description: str = ""
    must_fail: list[str] = Field(default_factory=list)
    """The hidden tests the mutant is declared to fail."""


class RequirementFacts(Record):
    id: str
    quote: str = ""
    waived: str = ""
    tests: list[str] = Field(default_factory=list)
    """The hidden tests that declare it (``@pytest.mark.requirement``)."""


class CaseFacts(Record):
    id: str
    title: str = ""
    kind: str = ""
    difficulty: str = ""
    tags: list[str] = Field(default_factory=list)
    """The prompt responsibilities the case exercises."""
    must_pass: bool = False
    """A flip pass -> fail on this case fails the gate."""
    content_hash: str = ""
    """Hash of every tree of the case (tests, solutions): changes when the case changes."""
    workspace_hash: str = ""
    """Hash of the starting workspace alone."""
    workspace: dict[str, str] = Field(default_factory=dict)
    """The starting workspace (text files) the agent saw; empty in a recorded baseline."""
    binary: list[str] = Field(default_factory=list)
    """Starting files that are not UTF-8 text (left out of ``workspace``)."""
    mutants: dict[str, MutantFacts] = Field(default_factory=dict)
    requirements: list[RequirementFacts] = Field(default_factory=list)
    """What the prompt requires, each with the tests that check it (the report's matrix)."""


class CaseSnapshot(Record):
    cases: dict[str, CaseFacts] = Field(default_factory=dict)

    def get(self, case_id: str) -> CaseFacts | None:
        return self.cases.get(case_id)


def facts_of(case: Case) -> CaseFacts:
    text: dict[str, str] = {}
    binary: list[str] = []
    for rel, content in sorted(case.workspace.items()):
        try:
            text[rel] = content.decode("utf-8")
        except UnicodeDecodeError:
            binary.append(rel)
    return CaseFacts(
        id=case.id,
        title=case.title,
        kind=case.kind,
        difficulty=case.difficulty,
        tags=list(case.tags),
        must_pass=case.must_pass,
        content_hash=case.content_hash,
        workspace_hash=tree_hash(case.workspace),
        workspace=text,
        binary=binary,
        mutants={
            m.name: MutantFacts(description=m.description, must_fail=list(m.must_fail))
            for m in case.mutants
        },
        requirements=_requirements(case),
    )


def _requirements(case: Case) -> list[RequirementFacts]:
    if not case.requirements:
        return []
    from evals.errors import InfraError
    from evals.execute import requirements_by_test

    try:
        cited = requirements_by_test(case)
    except InfraError:  # the suite cannot be collected here: the quotes without the tests
        cited = {}
    return [
        RequirementFacts(
            id=r.id,
            quote=r.quote,
            waived=r.waived,
            tests=[test for test, ids in cited.items() if r.id in ids],
        )
        for r in case.requirements
    ]


def snapshot_of(cases: Iterable[Case], workers: int = 1) -> CaseSnapshot:
    """The facts of ``cases``; ``workers`` collect their hidden suites at once (a pytest
    process per case with requirements, which grading then reuses)."""
    with ThreadPoolExecutor(max(workers, 1)) as pool:
        facts = list(pool.map(facts_of, cases))
    return CaseSnapshot(cases={f.id: f for f in facts})


def read_snapshot(run_dir: Path) -> CaseSnapshot | None:
    path = RunLayout(Path(run_dir)).cases
    if not path.is_file():
        return None
    try:
        return CaseSnapshot.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValidationError) as exc:
        raise StoreError(f"{path.name} is unreadable: {exc}", path=path) from None


def write_snapshot(run_dir: Path, snapshot: CaseSnapshot, *, indent: int | None = None) -> None:
    """Write the run's snapshot; ``indent`` for one a person reviews (a recorded baseline)."""
    atomic_write(RunLayout(Path(run_dir)).cases, snapshot.model_dump_json(indent=indent) + "\n")


def ensure_snapshot(run_dir: Path, cases_dir: Path, case_ids: Iterable[str]) -> CaseSnapshot:
    """The run's snapshot; made from ``cases_dir`` (cases that still exist) when missing.

    A snapshot that exists is never refreshed: it describes the cases the run was made with.
    """
    existing = read_snapshot(run_dir)
    if existing is not None:
        return existing
    facts = {}
    for case_id in case_ids:
        folder = Path(cases_dir) / case_id
        if not (folder / "case.toml").is_file():
            continue
        try:
            facts[case_id] = facts_of(load_case(folder))
        except CaseError:
            continue  # a case broken since the run: the report does without its facts
    snapshot = CaseSnapshot(cases=facts)
    if facts:
        write_snapshot(run_dir, snapshot)
    return snapshot


def without_workspaces(snapshot: CaseSnapshot) -> CaseSnapshot:
    """The snapshot a baseline keeps: hashes and marks, not the starting files."""
    return CaseSnapshot(
        cases={k: v.model_copy(update={"workspace": {}}) for k, v in snapshot.cases.items()}
    )
