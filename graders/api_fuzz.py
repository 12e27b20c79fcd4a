"""Requests generated from the app's own OpenAPI document (schemathesis, in the judge):
does the app keep the promises its document makes?

Findings: a server error (5xx), a body that contradicts the schema documented for its status
code, an undocumented content type, no answer at all. A status code the operation does not
document is reported as ``info`` and not scored: FastAPI apps routinely answer 404 or 409
without declaring them, and most tasks do not ask them to. Not in the default grader set (it
adds a few seconds per sample); a case selects it in ``[graders]``, and ``evals validate``
runs it on every known-good solution, each of which must pass it.
"""

from __future__ import annotations

from typing import Any

from evals.records import Finding, GradeResult
from graders.base import GradeContext

SCORED = {"server-error", "schema-mismatch", "content-type", "no-answer", "invalid-schema"}
PENALTY = 0.2
"""Score lost per distinct scored finding (operation, kind, message)."""


class ApiFuzzGrader:
    name = "api_fuzz"

    def grade(self, ctx: GradeContext) -> GradeResult:
        run = ctx.execution()
        if run.infra_error:
            return GradeResult(grader=self.name, infra_error=run.infra_error)
        document: dict[str, Any] = run.fuzz or {}
        if not run.fuzz or "error" in document:
            why = str(document.get("error") or "the generated requests never ran")
            return GradeResult(
                grader=self.name,
                findings=[Finding(code="fuzz-not-run", message=why[:500], severity="error")],
                details=f"not run: {why[:200]}",
            )
        findings = []
        for item in document.get("findings") or []:
            if not isinstance(item, dict):
                continue
            kind = str(item.get("kind", "finding"))
            findings.append(
                Finding(
                    code=kind,
                    message=f"{item.get('status')}: {item.get('message', '')}"[:600],
                    path=f"{item.get('method', '')} {item.get('path', '')}".strip(),
                    severity="error" if kind in SCORED else "info",
                    rule="errors" if kind == "server-error" else "docs",
                )
            )
        errors = sum(f.severity == "error" for f in findings)
        return GradeResult(
            grader=self.name,
            score=round(max(0.0, 1.0 - PENALTY * errors), 4),
            passed=errors == 0,
            findings=findings,
            details=(
                f"{document.get('requests', 0)} generated request(s) over "
                f"{document.get('operations', 0)} operation(s): {errors} finding(s)"
                + (f"; {document['truncated']}" if document.get("truncated") else "")
            ),
        )
