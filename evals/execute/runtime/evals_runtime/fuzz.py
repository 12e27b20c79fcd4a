"""Generated requests against the app's own OpenAPI document (schemathesis), in the judge.

    run(schema, client, budget_s) -> {"operations", "requests", "findings", "error"?}

For each documented operation, schemathesis generates requests from the document (hypothesis,
derandomized: the same document gives the same requests, so a re-grade gives the same
findings); each is sent through the judge's client over the app's socket and its answer is
checked: a server error (5xx), a body that contradicts the schema documented for its status
code, a content type other than the documented one are findings; a status code the operation
does not document is a finding of its own kind (``undocumented-status``), which the
``api_fuzz`` grader reports without scoring: FastAPI apps routinely answer 404/409 without
declaring them, and most tasks do not ask them to.

Runs after the hidden suite (generated writes would change what the suite sees) and within
``budget_s``. Whatever the app answers is data: a check that raises on it is a finding, never
a crash of the judge.
"""

from __future__ import annotations

import re
import time
from typing import Any

CHECKS = {
    "not_a_server_error": "server-error",
    "response_schema_conformance": "schema-mismatch",
    "content_type_conformance": "content-type",
    "status_code_conformance": "undocumented-status",
}
MAX_FINDINGS = 50
NAIVE_DATETIME = 'is not a "date-time"'
"""A date-time without a UTC offset breaks RFC 3339, which OpenAPI's ``date-time`` names, but
it is what FastAPI serialises a naive ``datetime`` as, and few tasks say which to send: its
own kind, reported and not scored."""
REQUEST_TIMEOUT_S = 3.0


def run(
    schema: dict[str, Any], client: Any, budget_s: float, max_examples: int = 8
) -> dict[str, Any]:
    import schemathesis
    from schemathesis.config import SchemathesisConfig
    from schemathesis.core.result import Err

    started = time.monotonic()
    deadline = started + budget_s
    loaded = schemathesis.openapi.from_dict(within_64_bits(schema), config=SchemathesisConfig())
    findings = Findings()
    result: dict[str, Any] = {"operations": 0, "requests": 0, "findings": findings.items}
    result["load_s"] = round(time.monotonic() - started, 3)
    for outcome in loaded.get_all_operations():
        if time.monotonic() > deadline:
            result["truncated"] = "time budget spent"
            break
        if isinstance(outcome, Err):  # the app documents an operation schemathesis cannot read
            error = outcome.err()
            findings.add("invalid-schema", "? ?", None, f"{type(error).__name__}: {error}")
            continue
        operation = outcome.ok()
        result["operations"] += 1
        label = f"{operation.method.upper()} {operation.path}"
        try:
            result["requests"] += _exercise(
                operation, label, client, deadline, findings, max_examples
            )
        except Exception as exc:  # generation itself failed for this operation
            findings.add("generation", label, None, f"{type(exc).__name__}: {exc}")
    result["seconds"] = round(time.monotonic() - started, 3)
    return result


class Findings:
    """Distinct findings, at most :data:`MAX_FINDINGS`."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self._seen: set[tuple[str, str, str]] = set()

    def add(self, kind: str, label: str, status: int | None, message: str) -> None:
        # The same fault seen with other generated values is one finding.
        key = (kind, label, re.sub(r"\d+", "#", message)[:120])
        if key in self._seen or len(self.items) >= MAX_FINDINGS:
            return
        self._seen.add(key)
        method, _, path = label.partition(" ")
        self.items.append(
            {"kind": kind, "method": method, "path": path, "status": status,
             "message": message[:500]}
        )  # fmt: skip


def _exercise(
    operation: Any, label: str, client: Any, deadline: float, findings: Findings, examples: int
) -> int:
    """Send ``operation``'s generated requests and check each answer; returns how many."""
    import httpx
    import hypothesis
    import requests
    from hypothesis import HealthCheck, Phase, settings
    from schemathesis import checks as core_checks
    from schemathesis.core.failures import FailureGroup
    from schemathesis.specs.openapi import checks as openapi_checks

    functions = {
        "not_a_server_error": core_checks.not_a_server_error,
        "response_schema_conformance": openapi_checks.response_schema_conformance,
        "content_type_conformance": openapi_checks.content_type_conformance,
        "status_code_conformance": openapi_checks.status_code_conformance,
    }
    sent = 0

    # No shrinking (a finding is recorded, never raised) and no example database: the same
    # document gives the same requests, run after run.
    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis.given(case=operation.as_strategy())
    def one(case: Any) -> None:
        nonlocal sent
        if time.monotonic() > deadline:
            return
        kwargs = case.as_transport_kwargs(base_url="http://testserver")
        prepared = requests.Request(**_request_fields(kwargs)).prepare()
        sent += 1
        try:
            response = client.request(
                prepared.method, prepared.url, content=prepared.body,
                headers=dict(prepared.headers), timeout=REQUEST_TIMEOUT_S,
            )  # fmt: skip
        except httpx.LocalProtocolError:
            return  # a request our client will not send (an empty header value): not the app's
        except Exception as exc:  # no answer at all: the app hung up or timed out
            findings.add("no-answer", label, None, f"{type(exc).__name__}: {exc}")
            return
        for name, check in functions.items():
            if name == "status_code_conformance" and response.status_code >= 500:
                continue  # already a server-error finding
            try:
                case.validate_response(response, checks=[check])
            except FailureGroup as group:
                for failure in group.exceptions:
                    kind = CHECKS[name]
                    message = _describe(failure)
                    if NAIVE_DATETIME in message:
                        kind = "naive-datetime"
                    findings.add(kind, label, response.status_code, message)
            except AssertionError as exc:
                findings.add(CHECKS[name], label, response.status_code, str(exc) or name)
            except Exception as exc:  # a check that cannot digest the answer
                findings.add(
                    CHECKS[name], label, response.status_code, f"{type(exc).__name__}: {exc}"
                )

    one()
    return sent


INT64 = (-(2**63), 2**63 - 1)


def within_64_bits(node: Any) -> Any:
    """``node`` with every unbounded integer schema kept to 64 bits.

    Past them SQLite (and most databases) cannot store a value: an id of 2**70 answered with a
    500 is a fault of the starting code of most tasks, and no task asks about it; generated
    requests keep to the range a client would send.
    """
    if isinstance(node, list):
        return [within_64_bits(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: within_64_bits(value) for key, value in node.items()}
    if out.get("type") == "integer":
        if "maximum" not in out and "exclusiveMaximum" not in out:
            out["maximum"] = INT64[1]
        if "minimum" not in out and "exclusiveMinimum" not in out:
            out["minimum"] = INT64[0]
    return out


def _request_fields(kwargs: dict[str, Any]) -> dict[str, Any]:
    allowed = ("method", "url", "headers", "files", "data", "params", "auth", "cookies", "json")
    return {key: kwargs[key] for key in allowed if key in kwargs}


def _describe(failure: Any) -> str:
    title = getattr(failure, "title", "") or type(failure).__name__
    message = getattr(failure, "message", "") or str(failure)
    first = message.strip().splitlines()[0] if message.strip() else ""
    return f"{title}: {first}".strip()
