"""Mutation testing of a case's hidden suite: small faults put into its reference, one at a
time, each graded like any sample; a fault the suite does not notice is a *survivor*.

The faults come from cosmic-ray's operators (``cosmic_ray.operators``). cosmic-ray, not
mutmut: mutmut 3 rewrites function bodies into trampolines selected by an environment
variable at run time, skips decorated functions and leaves class bodies alone, which is
exactly where a FastAPI app keeps its routes (decorators) and its contracts (pydantic fields);
cosmic-ray mutates any node and yields plain source, one fault per file, which runs in our
sandbox unchanged with no mutation runtime inside it. We use its operators and its
occurrence-addressed ``mutate_code``, and drive the grading ourselves, because a mutant is
graded exactly as an agent's sample is (two sandboxes, the hidden suite over a socket).

One replacement per site (a comparison ``<`` becomes ``<=``, not every other comparison):
the boundary and negation faults that tell a suite's strength, at a size a case can afford.
A mutant that does not compile is dropped (the import check would catch it without telling
anything about the suite). A survivor is killed by a better test, or declared equivalent in
the case's ``[mutation.equivalent]`` with the reason no test can tell it apart.
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from evals.cases import Case, GraderSpec, Variant
from evals.store import SampleLayout
from evals.workspace import Workspace
from graders.base import SampleExecutor
from graders.registry import TESTS

OPERATORS = (
    "core/ReplaceBinaryOperator_Add_Sub",
    "core/ReplaceBinaryOperator_Sub_Add",
    "core/ReplaceBinaryOperator_Mul_Div",
    "core/ReplaceBinaryOperator_Div_Mul",
    "core/ReplaceBinaryOperator_FloorDiv_Div",
    "core/ReplaceBinaryOperator_Mod_FloorDiv",
    "core/ReplaceBinaryOperator_Pow_Mul",
    "core/ReplaceBinaryOperator_LShift_RShift",
    "core/ReplaceBinaryOperator_RShift_LShift",
    "core/ReplaceBinaryOperator_BitAnd_BitOr",
    "core/ReplaceBinaryOperator_BitXor_BitOr",
    "core/ReplaceComparisonOperator_Eq_NotEq",
    "core/ReplaceComparisonOperator_NotEq_Eq",
    "core/ReplaceComparisonOperator_Lt_LtE",
    "core/ReplaceComparisonOperator_LtE_Lt",
    "core/ReplaceComparisonOperator_Gt_GtE",
    "core/ReplaceComparisonOperator_GtE_Gt",
    "core/ReplaceComparisonOperator_Is_IsNot",
    "core/ReplaceComparisonOperator_IsNot_Is",
    "core/ReplaceUnaryOperator_USub_UAdd",
    "core/ReplaceUnaryOperator_Delete_Not",
    "core/AddNot",
    "core/ReplaceTrueWithFalse",
    "core/ReplaceFalseWithTrue",
    "core/ReplaceAndWithOr",
    "core/ReplaceOrWithAnd",
    "core/ReplaceBreakWithContinue",
    "core/ReplaceContinueWithBreak",
    "core/ExceptionReplacer",
    "core/NumberReplacer",
    "core/RemoveDecorator",
    "core/ZeroIterationForLoop",
)
"""Every operator applied, by cosmic-ray name. ``BitOr`` is left out on purpose: in this
code it is almost only ``X | None`` in annotations."""

TESTS_ONLY = (GraderSpec(TESTS, 1.0, True),)


@dataclass(frozen=True)
class Mutation:
    id: str
    """``path:line:Operator`` (``#k`` when one line has several): stable while the line stays."""
    path: str
    line: int
    operator: str
    before: str
    after: str
    source: bytes


@dataclass
class MutationOutcome:
    mutation: Mutation
    status: str  # killed | survived | equivalent | error
    killed_by: str = ""
    detail: str = ""


@dataclass
class MutationReport:
    case_id: str
    outcomes: list[MutationOutcome] = field(default_factory=list)
    dropped: int = 0
    """Mutants that do not compile (not run)."""
    stale_equivalents: list[str] = field(default_factory=list)
    """``[mutation.equivalent]`` ids no operator produces any more (the reference moved)."""
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def score(self) -> float:
        """Killed / (killed + survived): equivalents and infra errors are not in it."""
        judged = self.count("killed") + self.count("survived")
        return self.count("killed") / judged if judged else 0.0

    @property
    def survivors(self) -> list[MutationOutcome]:
        return [o for o in self.outcomes if o.status == "survived"]


def _operators() -> list[tuple[str, object]]:
    import cosmic_ray.plugins

    return [(name, cosmic_ray.plugins.get_operator(name)()) for name in OPERATORS]


def generate(case: Case) -> tuple[list[Mutation], int]:
    """Every single-fault mutant of the reference's Python files; and how many were dropped."""
    from cosmic_ray.ast import ast_nodes, get_ast
    from cosmic_ray.mutating import mutate_code

    mutations: list[Mutation] = []
    dropped = 0
    for rel in sorted(case.reference):
        if not rel.endswith(".py"):
            continue
        text = case.reference[rel].decode("utf-8")
        lines = text.splitlines()
        seen: Counter[str] = Counter()
        for name, operator in _operators():
            positions = [
                start
                for node in ast_nodes(get_ast(text))
                for start, _end in operator.mutation_positions(node)  # type: ignore[attr-defined]
            ]
            for occurrence, (line, _col) in enumerate(positions):
                mutated = mutate_code(text, operator, occurrence)
                if mutated is None or mutated == text:
                    continue
                try:
                    compile(mutated, rel, "exec")
                except (SyntaxError, ValueError):
                    dropped += 1
                    continue
                short = name.split("/", 1)[1]
                base = f"{rel}:{line}:{short}"
                seen[base] += 1
                after = mutated.splitlines()
                mutations.append(
                    Mutation(
                        id=base if seen[base] == 1 else f"{base}#{seen[base] - 1}",
                        path=rel,
                        line=line,
                        operator=short,
                        before=lines[line - 1].strip() if line <= len(lines) else "",
                        after=after[line - 1].strip() if line <= len(after) else "",
                        source=mutated.encode("utf-8"),
                    )
                )
    return mutations, dropped


def run_mutation(
    case: Case,
    executor: SampleExecutor,
    *,
    workers: int = 1,
    progress: Callable[[str], None] = lambda _m: None,
) -> MutationReport:
    """Grade every mutant of ``case``'s reference with its hidden suite (tests grader only)."""
    from evals.grade import grade_workspace

    started = time.monotonic()
    report = MutationReport(case.id)
    mutations, report.dropped = generate(case)
    produced = {m.id for m in mutations}
    report.stale_equivalents = sorted(set(case.equivalent_mutations) - produced)
    scratch = Path(tempfile.mkdtemp(prefix="evals-mutation-"))
    try:
        base_tree = {**case.workspace, **case.reference}
        probe = dataclasses.replace(case, graders=TESTS_ONLY)
        reference_s = _grade_tree(probe, base_tree, scratch / "reference", executor)
        if isinstance(reference_s, str):
            report.problems.append(f"the unmutated reference does not pass: {reference_s}")
            return report
        # A mutant that loops forever would hold a worker for the case's whole limit.
        bounded = dataclasses.replace(probe, timeout_s=max(10.0, 3 * reference_s))

        def one(index: int, mutation: Mutation) -> MutationOutcome:
            if mutation.id in case.equivalent_mutations:
                return MutationOutcome(
                    mutation, "equivalent", detail=case.equivalent_mutations[mutation.id]
                )
            tree = {**base_tree, mutation.path: mutation.source}
            sample = SampleLayout(scratch / f"m{index:04d}")
            Workspace.create(sample.workspace, tree)
            grades, _ = grade_workspace(
                bounded,
                Variant("mutation", str(index)),
                sample.workspace,
                sample.grading.root,
                executor,
            )
            shutil.rmtree(sample.root, ignore_errors=True)
            result = grades[TESTS]
            if result.infra_error:
                return MutationOutcome(mutation, "error", detail=result.infra_error)
            if result.passed:
                return MutationOutcome(mutation, "survived")
            failing = [t.id for t in result.tests if t.outcome != "passed"]
            return MutationOutcome(
                mutation, "killed", killed_by=failing[0] if failing else result.details
            )

        done = 0
        with ThreadPoolExecutor(max(1, workers)) as pool:
            futures = [pool.submit(one, i, m) for i, m in enumerate(mutations)]
            for future in futures:
                outcome = future.result()
                report.outcomes.append(outcome)
                done += 1
                if outcome.status == "survived" or done % 25 == 0 or done == len(futures):
                    progress(
                        f"{case.id}: {done}/{len(futures)} mutants"
                        + (
                            f", survivor {outcome.mutation.id}"
                            if outcome.status == "survived"
                            else ""
                        )
                    )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    report.seconds = time.monotonic() - started
    return report


def _grade_tree(
    case: Case, tree: dict[str, bytes], folder: Path, executor: SampleExecutor
) -> float | str:
    """Seconds the unmutated tree took to pass, or why it did not."""
    from evals.grade import grade_workspace

    sample = SampleLayout(folder)
    Workspace.create(sample.workspace, tree)
    start = time.monotonic()
    grades, _ = grade_workspace(
        case, Variant("mutation", "reference"), sample.workspace, sample.grading.root, executor
    )
    result = grades[TESTS]
    if result.infra_error or not result.passed:
        return result.infra_error or result.details
    return time.monotonic() - start


def render(reports: list[MutationReport]) -> str:
    lines = [
        f"{'case':<22} {'mutants':>7} {'killed':>6} {'survived':>8} {'equiv':>5} "
        f"{'error':>5} {'score':>6}  time"
    ]
    for r in reports:
        lines.append(
            f"{r.case_id:<22} {len(r.outcomes):>7} {r.count('killed'):>6} "
            f"{r.count('survived'):>8} {r.count('equivalent'):>5} {r.count('error'):>5} "
            f"{r.score:>6.0%}  {r.seconds:.0f}s"
        )
    for r in reports:
        for problem in r.problems:
            lines.append(f"  {r.case_id}: {problem}")
        for stale in r.stale_equivalents:
            lines.append(f"  {r.case_id}: stale [mutation.equivalent] entry {stale!r}")
        for o in r.survivors:
            m = o.mutation
            lines.append(f"  {r.case_id}: SURVIVOR {m.id}: {m.before!r} -> {m.after!r}")
        for o in r.outcomes:
            if o.status == "error":
                lines.append(f"  {r.case_id}: ERROR {o.mutation.id}: {o.detail[:160]}")
    return "\n".join(lines)
