"""The OpenAPI document must be exactly the one the single-file app produced."""

from __future__ import annotations

import pytest
from openapi_snapshot import EXPECTED_OPENAPI

HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


def _operations(spec):
    return {
        (method.upper(), path): operation
        for path, item in spec.get("paths", {}).items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    }


def _diff(expected, actual, where="", out=None):
    """JSON-pointer-like locations where two JSON values differ."""
    out = [] if out is None else out
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual)):
            if key not in actual:
                out.append(f"{where}/{key}: missing")
            elif key not in expected:
                out.append(f"{where}/{key}: unexpected")
            else:
                _diff(expected[key], actual[key], f"{where}/{key}", out)
    elif isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        for index, (e, a) in enumerate(zip(expected, actual, strict=True)):
            _diff(e, a, f"{where}/{index}", out)
    elif expected != actual:
        out.append(f"{where}: expected {expected!r:.80}, got {actual!r:.80}")
    return out


@pytest.mark.rule("docs", "api-design")
@pytest.mark.requirement("openapi-identical", "behaviour-unchanged")
def test_openapi_paths_and_methods_unchanged(openapi):
    expected = sorted(_operations(EXPECTED_OPENAPI))
    actual = sorted(_operations(openapi))
    assert actual == expected, (
        f"the operations must stay exactly the same: missing "
        f"{sorted(set(expected) - set(actual))}, unexpected {sorted(set(actual) - set(expected))}"
    )


@pytest.mark.rule("docs")
@pytest.mark.requirement("openapi-identical")
def test_openapi_operation_ids_unchanged(openapi):
    actual = _operations(openapi)
    changed = {
        key: (operation["operationId"], actual.get(key, {}).get("operationId"))
        for key, operation in _operations(EXPECTED_OPENAPI).items()
        if actual.get(key, {}).get("operationId") != operation["operationId"]
    }
    assert not changed, f"operationIds must not change (expected, got): {changed}"


@pytest.mark.rule("docs", "structure")
@pytest.mark.requirement("openapi-identical")
def test_openapi_tags_and_summaries_unchanged(openapi):
    actual = _operations(openapi)
    changed = {}
    for key, operation in _operations(EXPECTED_OPENAPI).items():
        got = actual.get(key, {})
        for field in ("tags", "summary", "description"):
            if got.get(field) != operation.get(field):
                changed[f"{key[0]} {key[1]} {field}"] = (operation.get(field), got.get(field))
    assert not changed, (
        f"tags, summaries and descriptions must not change (expected, got): {changed}"
    )


@pytest.mark.rule("docs", "schemas")
@pytest.mark.requirement("openapi-identical")
def test_openapi_responses_and_schemas_unchanged(openapi):
    actual = _operations(openapi)
    problems = []
    for key, operation in _operations(EXPECTED_OPENAPI).items():
        got = actual.get(key, {})
        for field in ("parameters", "requestBody", "responses"):
            where = f"{key[0]} {key[1]} {field}"
            problems += _diff(operation.get(field), got.get(field), where)
    problems += _diff(EXPECTED_OPENAPI.get("components"), openapi.get("components"), "components")
    assert not problems, (
        f"status codes, parameters and schemas must stay the same; differences: {problems[:12]}"
    )


@pytest.mark.rule("docs")
@pytest.mark.requirement("openapi-identical")
def test_openapi_document_unchanged(openapi):
    problems = _diff(EXPECTED_OPENAPI, openapi)
    assert not problems, (
        "the OpenAPI document (GET /openapi.json) must be identical to the single-file app's; "
        f"differences: {problems[:12]}"
    )
