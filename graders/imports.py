"""Every generated module imports, and the entry point is a FastAPI instance."""

from __future__ import annotations

from evals.records import Finding, GradeResult
from graders.base import GradeContext


class ImportsGrader:
    name = "imports"

    def grade(self, ctx: GradeContext) -> GradeResult:
        run = ctx.execution()
        if run.infra_error:
            return GradeResult(grader=self.name, infra_error=run.infra_error)
        findings = [
            Finding(code="import-error", message=r.error.strip()[-1500:], path=r.module,
                    severity="error", rule="structure")
            for r in run.imports
            if not r.ok
        ]  # fmt: skip
        if run.unfinished_import:
            why = "timed out" if run.timed_out else f"the process ended (exit {run.returncode})"
            findings.append(
                Finding(code="import-aborted", path=run.unfinished_import, severity="error",
                        message=f"{why} while importing {run.unfinished_import}")
            )  # fmt: skip
        if run.entrypoint_ok is not True:
            findings.append(
                Finding(code="entrypoint", severity="error", path=ctx.case.entrypoint,
                        message=run.entrypoint_error or "the entry point was never checked")
            )  # fmt: skip
        total = len(run.imports) + (1 if run.unfinished_import else 0)
        ok = sum(r.ok for r in run.imports)
        score = (ok / total if total else 0.0) * (1.0 if run.entrypoint_ok else 0.5)
        return GradeResult(
            grader=self.name,
            score=round(score, 4),
            passed=not findings,
            findings=findings,
            details=f"{ok}/{total} modules import; entry point "
            + ("ok" if run.entrypoint_ok else "not a FastAPI app"),
            duration_s=run.duration_s,
        )
