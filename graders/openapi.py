"""Is the generated app's OpenAPI document complete, as the agent file's "Maintain
comprehensive OpenAPI documentation" and "API versioning (/api/v1/)" ask?

The schema is what the served app answers at ``/openapi.json``, fetched and saved by the
judge (:mod:`evals_runtime.judge`): generated code is never imported by the harness. Each
check is tagged with the rule it bears on; findings name the operation (``METHOD /path``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from evals.records import Finding, GradeResult, TestOutcome
from graders.base import GradeContext

METHODS = ("get", "post", "put", "patch", "delete")
UNVERSIONED_OK = ("/", "/health", "/healthz", "/docs", "/redoc", "/openapi.json")

Operation = tuple[str, str, dict[str, Any]]


@dataclass(frozen=True)
class Check:
    id: str
    rule: str
    requirement: str
    run: Callable[[dict[str, Any], list[Operation]], Iterator[tuple[str, str]]]


def operations(schema: dict[str, Any]) -> list[Operation]:
    out = []
    for path, item in (schema.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                out.append((method.upper(), path, op))
    return out


def summaries(_schema: dict, ops: list[Operation]) -> Iterator[tuple[str, str]]:
    for method, path, op in ops:
        if not str(op.get("summary", "")).strip():
            yield f"{method} {path}", "operation has no summary"


def tags(_schema: dict, ops: list[Operation]) -> Iterator[tuple[str, str]]:
    for method, path, op in ops:
        if not op.get("tags"):
            yield f"{method} {path}", "operation has no tags"


def response_models(_schema: dict, ops: list[Operation]) -> Iterator[tuple[str, str]]:
    for method, path, op in ops:
        responses = op.get("responses") or {}
        for code, response in responses.items():
            if not str(code).startswith("2") or str(code) == "204":
                continue
            content = (response or {}).get("content") or {}
            if content and not any("json" in media for media in content):
                continue  # a download (images, PDFs): bytes, not a model
            schema = next(iter(content.values()), {}).get("schema") if content else None
            if not schema:
                yield f"{method} {path}", f"{code} response documents no schema (response_model)"


def declared_statuses(_schema: dict, ops: list[Operation]) -> Iterator[tuple[str, str]]:
    for method, path, op in ops:
        responses = {str(c) for c in (op.get("responses") or {})}
        # Creating endpoints answer 201 (agent file: status codes 200, 201, 204 ...). Only a
        # POST on a top-level collection is taken to create: token, login and search POSTs
        # create nothing, and a POST under an id is often an action on that resource.
        creates = "{" not in path and not any(
            word in path for word in ("token", "login", "search", "query")
        )
        if method == "POST" and creates and "200" in responses and "201" not in responses:
            yield f"{method} {path}", "POST documents 200, not 201 Created"


def security_schemes(schema: dict, ops: list[Operation]) -> Iterator[tuple[str, str]]:
    schemes = ((schema.get("components") or {}).get("securitySchemes")) or {}
    has_login = any(w in path for _m, path, _o in ops for w in ("token", "login"))
    secured = [op for _m, _p, op in ops if op.get("security")]
    if has_login and not schemes:
        yield "components", "the app issues tokens but declares no security scheme"
    elif schemes and not secured:
        yield "components", "a security scheme is declared but no operation uses it"


def versioned_paths(_schema: dict, ops: list[Operation]) -> Iterator[tuple[str, str]]:
    for method, path, _op in ops:
        if path in UNVERSIONED_OK:
            continue
        if not (path.startswith("/api/v") and path[6:7].isdigit()):
            yield f"{method} {path}", "path is not under a versioned prefix such as /api/v1"


CHECKS = (
    Check("OAS001", "docs", "Every operation has a summary", summaries),
    Check("OAS002", "docs", "Every operation has tags", tags),
    Check("OAS003", "schemas", "Success responses declare a response model", response_models),
    Check(
        "OAS004",
        "api-design",
        "Creating operations document 201 Created",
        declared_statuses,
    ),
    Check("OAS005", "auth", "Protected routes reference a security scheme", security_schemes),
    Check("OAS006", "docs", "Routes are versioned under /api/v1 (or /api/v2)", versioned_paths),
)


class OpenAPIGrader:
    name = "openapi"

    def grade(self, ctx: GradeContext) -> GradeResult:
        run = ctx.execution()
        if run.infra_error:
            return GradeResult(grader=self.name, infra_error=run.infra_error)
        document = run.openapi or {}
        schema = document.get("schema")
        if not isinstance(schema, dict):
            why = document.get("error") or "no OpenAPI schema came back (the app did not import)"
            return GradeResult(
                grader=self.name,
                findings=[Finding(code="OAS000", message=str(why), severity="error", rule="docs")],
                details="no schema",
            )
        try:
            return self._judge(schema)
        except (Exception, RecursionError) as exc:
            # A document the checks cannot walk is the sample's failure, never an infra error
            # (which every pass rate leaves out).
            message = f"malformed OpenAPI document: {type(exc).__name__}: {exc}"[:500]
            return GradeResult(
                grader=self.name,
                findings=[Finding(code="OAS000", message=message, severity="error", rule="docs")],
                details="malformed schema",
            )

    def _judge(self, schema: dict) -> GradeResult:
        ops = operations(schema)
        findings: list[Finding] = []
        outcomes: list[TestOutcome] = []
        for check in CHECKS:
            hits = list(check.run(schema, ops))
            for where, message in hits[:50]:
                findings.append(
                    Finding(
                        code=check.id,
                        message=message,
                        path=where,
                        severity="warning",
                        rule=check.rule,
                    )
                )
            outcomes.append(
                TestOutcome(
                    id=check.id,
                    outcome="failed" if hits else "passed",
                    message=check.requirement,
                    rules=[check.rule],
                )
            )
        passed = sum(o.outcome == "passed" for o in outcomes)
        return GradeResult(
            grader=self.name,
            score=round(passed / len(CHECKS), 4),
            passed=passed == len(CHECKS),
            findings=findings,
            tests=outcomes,
            details=f"{passed}/{len(CHECKS)} checks hold over {len(ops)} operation(s)",
        )
