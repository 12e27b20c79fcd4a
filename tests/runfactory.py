"""Constructed run folders for the report and gate tests: written through RunStore with the
real records, with no model and no grading involved."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from evals.cases import tree_hash
from evals.records import (
    Finding,
    GradeResult,
    Message,
    RunInfo,
    SampleResult,
    TestOutcome,
    TextBlock,
    ToolResultBlock,
    ToolUseBlock,
    Transcript,
    Turn,
    Usage,
)
from evals.snapshot import CaseFacts, CaseSnapshot, RequirementFacts, write_snapshot
from evals.store import RunStore

START_MAIN = "from fastapi import FastAPI\n\napp = FastAPI()\n"
GOOD_MAIN = (
    "from fastapi import FastAPI, status\n\napp = FastAPI()\n\n\n"
    '@app.post("/api/v1/users", status_code=status.HTTP_201_CREATED)\n'
    "def create_user() -> dict[str, int]:\n"
    '    return {"id": 1}\n'
)
BAD_MAIN = GOOD_MAIN.replace("status.HTTP_201_CREATED", "status.HTTP_200_OK")
TESTS = ("test_create_returns_201", "test_password_is_hashed", "test_duplicate_is_409")
REQUIREMENTS = [
    RequirementFacts(id="create-201", quote="A created user is answered with 201.",
                     tests=["test_create_returns_201"]),
    RequirementFacts(id="stored-hashed", quote="Store only a slow salted hash.",
                     tests=["test_password_is_hashed", "test_duplicate_is_409"]),
    RequirementFacts(id="audit-log", quote="Log each registration.",
                     waived="the log is not observable from outside the app"),
]  # fmt: skip
FAIL_MESSAGE = (
    "tests/test_users.py:12: in test_create_returns_201\n"
    "    assert response.status_code == 201\n"
    "E   AssertionError: POST /api/v1/users must be 201, got 200\n"
    "E   assert 200 == 201"
)


@dataclass
class Sample:
    case_id: str
    passed: bool = True
    variant: str = "agent"
    k: int = 0
    failing: tuple[str, ...] = ()
    """Hidden tests that fail (default: the first test when the sample fails)."""
    infra: str | None = None
    files: dict[str, str] | None = None
    import_error: str | None = None
    findings: list[Finding] = field(default_factory=list)
    cost: float = 0.01
    expected_pass: bool | None = None


def _grades(s: Sample) -> dict[str, GradeResult]:
    if s.infra:
        return {"tests": GradeResult(grader="tests", infra_error=s.infra)}
    failing = set(s.failing or (() if s.passed else (TESTS[0],)))
    outcomes = [
        TestOutcome(
            id=t,
            outcome="failed" if t in failing else "passed",
            message=FAIL_MESSAGE.replace("test_create_returns_201", t) if t in failing else "",
            rules=["api-design"] if t == TESTS[0] else ["security"],
            duration_s=0.01,
        )
        for t in TESTS
    ]
    passed = sum(o.outcome == "passed" for o in outcomes)
    grades = {
        "tests": GradeResult(
            grader="tests",
            score=passed / len(TESTS),
            passed=passed == len(TESTS),
            tests=outcomes,
            details=f"{passed}/{len(TESTS)} passed",
        ),
        "imports": GradeResult(
            grader="imports",
            score=0.0 if s.import_error else 1.0,
            passed=not s.import_error,
            findings=[
                Finding(
                    code="import-error",
                    message=s.import_error,
                    path="app.main",
                    severity="error",
                    rule="structure",
                )
            ]
            if s.import_error
            else [],
            details="1/1 modules import",
        ),
        "ruff": GradeResult(
            grader="ruff",
            score=1.0 - 0.1 * len(s.findings),
            passed=not s.findings,
            findings=s.findings,
            details=f"{len(s.findings)} finding(s)",
        ),
    }
    return grades


def _transcript(s: Sample, files: dict[str, str]) -> Transcript:
    calls = [
        ToolUseBlock(id=f"toolu_{i}", name="Write",
                     input={"file_path": f"/workspace/{p}", "content": text})
        for i, (p, text) in enumerate(sorted(files.items()))
    ]  # fmt: skip
    return Transcript(
        system="You are a FastAPI architect.",
        model="claude-test",
        tools=["Write"],
        messages=[
            Message(role="user", content=[TextBlock(text=f"Task for {s.case_id}: add users.")]),
            Message(role="assistant", content=[TextBlock(text="Writing the endpoint."), *calls]),
            Message(
                role="user",
                content=[ToolResultBlock(tool_use_id=c.id, content="ok") for c in calls],
            ),
            Message(role="assistant", content=[TextBlock(text="Done.")]),
        ],
        turns=[Turn(stop_reason="tool_use", usage=Usage(input_tokens=100, output_tokens=50),
                    cost_usd=s.cost, latency_s=1.0),
               Turn(stop_reason="end_turn", usage=Usage(cache_read_tokens=1234, output_tokens=7),
                    cost_usd=0.0, latency_s=0.0, cached=True)],
        stop="end_turn",
    )  # fmt: skip


def make_run(
    parent: Path,
    samples: list[Sample],
    *,
    run_id: str = "run-1",
    provider: str = "anthropic",
    agent_text: str = "---\nname: fastapi-backend-architect\n---\nBe careful.\n",
    must_pass: tuple[str, ...] = (),
    case_hash: str = "cases-v1",
    start: dict[str, str] | None = None,
    snapshot: bool = True,
    bulk: bool = False,
) -> Path:
    """A finished run folder holding ``samples`` (every case gets the same starting files).

    ``bulk`` writes results.jsonl once at the end and transcripts without fsync (thousands of
    samples), instead of appending each row as a run does.
    """
    start = {"app/main.py": START_MAIN} if start is None else start
    store = RunStore.create(parent, run_id)
    case_ids = sorted({s.case_id for s in samples})
    store.write_info(
        RunInfo(
            run_id=run_id,
            harness_version="0.1.0",
            git_sha=None,
            agent_path="agents/fastapi-backend-architect.md",
            agent_name="fastapi-backend-architect",
            agent_sha256=hashlib.sha256(agent_text.encode()).hexdigest(),
            agent_text=agent_text,
            model="reference" if provider == "reference" else "claude-test",
            provider=provider,
            suite_hash="suite",
            case_ids=case_ids,
            samples=max((s.k for s in samples), default=0) + 1,
            isolation="none",
            started_at="2026-01-01T10:00:00+00:00",
            finished_at="2026-01-01T10:05:00+00:00",
        )
    )
    if snapshot:
        write_snapshot(
            store.root,
            CaseSnapshot(
                cases={
                    c: CaseFacts(id=c, title=f"Title of {c}", tags=["api-design", "security"],
                                 must_pass=c in must_pass, content_hash=f"{c}-{case_hash}",
                                 workspace_hash=tree_hash(start), workspace=start,
                                 requirements=REQUIREMENTS)
                    for c in case_ids
                }
            ),
        )  # fmt: skip
    rows = []
    for s in samples:
        files = (
            s.files if s.files is not None else {"app/main.py": GOOD_MAIN if s.passed else BAD_MAIN}
        )
        sample = store.layout.sample(s.case_id, f"{s.variant}-{s.k}")
        for rel, text in {**start, **files}.items():
            (sample.workspace / rel).parent.mkdir(parents=True, exist_ok=True)
            (sample.workspace / rel).write_text(text)
        if bulk:
            sample.transcript.write_text(_transcript(s, files).model_dump_json())
        else:
            store.write_transcript(sample, _transcript(s, files))
        sample.grading.root.mkdir(parents=True, exist_ok=True)
        sample.grading.stdout.write_text(
            "..F\n=== FAILURES ===\n___ test_evals_canary_fail ___\ncanary: meant to fail\n"
            "=== short test summary info ===\nFAILED test_evals_canary_fail\n"
            "=== 1 failed, 2 passed ===\n"
        )
        grades = _grades(s)
        rows.append(
            SampleResult(
                run_id=run_id,
                case_id=s.case_id,
                variant=s.variant,
                sample=s.k,
                passed=s.passed and not s.infra,
                score=0.0 if s.infra else (1.0 if s.passed else 0.6),
                expected_pass=s.expected_pass,
                grades=grades,
                rule_scores={} if s.infra else {"api-design": 1.0 if s.passed else 0.0},
                infra_error=f"tests: {s.infra}" if s.infra else None,
                stop="end_turn",
                turns=1,
                usage=Usage(input_tokens=100, output_tokens=50),
                cost_usd=s.cost,
                gen_latency_s=1.0,
                grade_latency_s=0.5,
                sample_dir=store.layout.sample_dir(sample),
            )
        )
        if not bulk:
            store.append_result(rows[-1])
    if bulk:
        store.rewrite_results(rows)
    return store.root


def agent_samples(case_id: str, passes: int, total: int = 5, **kwargs) -> list[Sample]:
    """``total`` agent samples of a case of which the first ``passes`` pass."""
    return [Sample(case_id, passed=i < passes, k=i, **kwargs) for i in range(total)]
