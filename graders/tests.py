"""The hidden suite's verdict, judged from an untrusted result stream.

A pass needs: the harness plugin's start record with this run's nonce, exactly the expected
test ids collected (the whole suite, or the tests the grading asked for alone), an outcome for
each, both canaries as planted (one passes, one fails with a tag derived from the nonce), a
clean end record whose exit status is the process's, and a process that ended within its
limits. Anything missing, partial or forged, a crash, a timeout or a resource limit fails the
sample; it never passes it.

The suite runs in the judge's process, which never imports generated code: the app is served
from another process, sandbox and uid, and reaches nothing the judge writes or holds
(:mod:`evals.execute.job`). So the app cannot forge this stream; the checks still hold as
defence in depth, against a broken judge or harness: a missing start, a partial collection,
canaries not as planted, an end record that disagrees with the process's exit.
"""

from __future__ import annotations

import hashlib
from typing import Any

from evals.errors import InfraError
from evals.execute import CANARY_FAIL, CANARY_PASS, Execution, expected_test_ids
from evals.records import GradeResult, TestOutcome
from graders.base import GradeContext

CANARIES = (CANARY_PASS, CANARY_FAIL)
KNOWN_OUTCOMES = ("passed", "failed", "error", "skipped")


def canary_tag(nonce: str) -> str:
    # Mirrors evals_runtime.plugin.canary_tag, which runs inside the sandbox.
    return hashlib.sha256(f"canary:{nonce}".encode()).hexdigest()[:16]


def outcomes_by_id(run: Execution) -> dict[str, dict[str, Any]]:
    """The worst reported phase per test id (setup error > call failure > teardown error)."""
    results: dict[str, dict[str, Any]] = {}
    for event in run.tests_reported():
        if event.get("nonce") != run.nonce:
            continue
        test_id = str(event.get("id"))
        outcome = str(event.get("outcome"))
        if event.get("when") != "call" and outcome == "failed":
            outcome = "error"
        if test_id not in results or results[test_id]["outcome"] == "passed":
            results[test_id] = {**event, "outcome": outcome}
    return results


def _ids(value: Any) -> set[str]:
    """The collected test ids a report lists (anything but a list of names lists none)."""
    return {str(v) for v in value if isinstance(v, str)} if isinstance(value, list) else set()


def _seconds(value: Any) -> float:
    """A reported duration, or 0 when the stream holds anything but a finite number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0.0
    return float(value) if 0 <= value < 1e9 else 0.0


def why_missing(run: Execution) -> str:
    if run.timed_out:
        return "not run: the sample hit its time limit first"
    if run.exceeded:
        return f"not run: the sample was killed for exceeding its {run.exceeded} limit"
    if run.unfinished_import:
        return f"not run: the process ended while importing {run.unfinished_import}"
    return f"not run: the test process ended early (exit {run.returncode})"


class TestsGrader:
    __test__ = False
    name = "tests"

    def grade(self, ctx: GradeContext) -> GradeResult:
        run = ctx.execution()
        if run.infra_error:
            return GradeResult(grader=self.name, infra_error=run.infra_error)
        try:
            expected = expected_test_ids(ctx.case)
        except InfraError as exc:
            return GradeResult(grader=self.name, infra_error=str(exc))
        if ctx.only_tests is not None:
            # A selection the suite does not hold would grade on nothing: a harness bug.
            if unknown := sorted(set(ctx.only_tests) - set(expected)):
                return GradeResult(
                    grader=self.name, infra_error=f"asked to run unknown hidden tests {unknown}"
                )
            expected = {t: expected[t] for t in ctx.only_tests}

        problems: list[str] = []
        start = run.saw("start")
        if start is None or start.get("nonce") != run.nonce:
            problems.append("the suite never started under the harness plugin")
        collected = run.saw("collected")
        wanted = set(expected) | set(CANARIES)
        if collected is None:
            problems.append("the report never listed the collected tests")
        elif _ids(collected.get("ids")) != wanted:
            got = _ids(collected.get("ids"))
            problems.append(
                f"collected tests differ from the suite: missing {sorted(wanted - got)[:5]}, "
                f"unexpected {sorted(got - wanted)[:5]}"
            )
        results = outcomes_by_id(run)
        tampered = not (
            results.get(CANARY_PASS, {}).get("outcome") == "passed"
            and results.get(CANARY_FAIL, {}).get("outcome") == "failed"
            and canary_tag(run.nonce) in str(results.get(CANARY_FAIL, {}).get("message", ""))
        )
        end = run.saw("end")
        if tampered and start is not None and end is not None:
            problems.append("the result channel was tampered with (canaries not as planted)")
        if end is None or end.get("nonce") != run.nonce:
            problems.append(why_missing(run).replace("not run: ", "incomplete report: "))
        elif run.timed_out or run.exceeded:
            problems.append(why_missing(run).replace("not run: ", "after the report: "))
        elif run.returncode is not None and run.returncode != end.get("exitstatus"):
            problems.append(
                f"the process exited {run.returncode} but its report says "
                f"{end.get('exitstatus')}: it did not end the way the report claims"
            )

        outcomes = []
        for test_id in expected:
            got = results.get(test_id)
            if got is None:
                outcomes.append(
                    TestOutcome(id=test_id, outcome="missing", message=why_missing(run))
                )
                continue
            outcomes.append(
                TestOutcome(
                    id=test_id,
                    outcome=got["outcome"] if got["outcome"] in KNOWN_OUTCOMES else "error",
                    message=str(got.get("message", ""))[:4000],
                    # Tags from the harness's own collection; the stream's are the sample's.
                    rules=list(expected[test_id]),
                    duration_s=_seconds(got.get("duration")),
                )
            )
        passed_count = sum(o.outcome == "passed" for o in outcomes)
        score = 0.0 if tampered or not expected else passed_count / len(expected)
        # A verdict on no test at all (an empty selection) is no pass.
        all_passed = bool(expected) and passed_count == len(expected)
        all_passed = all_passed and not problems and not tampered
        return GradeResult(
            grader=self.name,
            score=round(score, 4),
            passed=all_passed,
            tests=outcomes,
            details="; ".join(problems)
            or f"{passed_count}/{len(expected)} passed"
            + (" (only the tests asked for)" if ctx.only_tests is not None else ""),
            duration_s=run.duration_s,
        )
