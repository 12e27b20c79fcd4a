"""Static checks of the patterns the agent file demands, on the generated code's AST.

Nothing is imported or executed. Each check has an id, the rule (prompt responsibility) it
bears on, and a message that names what the agent file asks for. The score is the share of
checks that hold; a check that does not hold reports every place it fails (findings), and
the passed checks are listed in ``details`` so the score is explainable.

Checks aim at a low false-positive rate: a correct, idiomatic solution should pass all.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from evals import untrusted
from evals.records import Finding, GradeResult, TestOutcome
from graders.base import GradeContext

HTTP_DECORATORS = {"get", "post", "put", "patch", "delete", "head", "options", "api_route"}
PYDANTIC_V1_METHODS = {"dict", "json", "parse_obj", "parse_raw", "from_orm", "update_forward_refs"}
SECRET_NAME = re.compile(r"(secret|password|passwd|api_?key|private_?key|token)", re.IGNORECASE)
NOT_SECRET_VALUE = re.compile(r"^(|[A-Z0-9_]+|bearer|HS256|RS256|password|token|.{0,5})$")


@dataclass(frozen=True)
class Module:
    path: str
    tree: ast.Module


@dataclass(frozen=True)
class Check:
    id: str
    rule: str
    severity: str
    requirement: str
    run: Callable[[list[Module]], Iterator[tuple[str, int, str]]]


def _calls(tree: ast.AST, name: str) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if called == name:
                yield node


def _route_functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for deco in node.decorator_list:
                target = deco.func if isinstance(deco, ast.Call) else deco
                if isinstance(target, ast.Attribute) and target.attr in HTTP_DECORATORS:
                    yield node
                    break


def check_annotated_dependencies(modules: list[Module]) -> Iterator[tuple[str, int, str]]:
    """Dependencies as ``Annotated[T, Depends(...)]``, not ``param = Depends(...)`` defaults."""
    for module in modules:
        for func in _route_functions(module.tree):
            args = func.args
            defaults = list(args.defaults) + [d for d in args.kw_defaults if d is not None]
            for default in defaults:
                if isinstance(default, ast.Call) and getattr(default.func, "id", None) in (
                    "Depends",
                    "Security",
                ):
                    yield (
                        module.path,
                        default.lineno,
                        f"{func.name}: Depends() as a default; use Annotated[..., Depends(...)]",
                    )


def check_pydantic_v2(modules: list[Module]) -> Iterator[tuple[str, int, str]]:
    """Pydantic v2 idioms: no ``class Config``, ``@validator``, ``orm_mode``, ``.dict()``."""
    for module in modules:
        for node in ast.walk(module.tree):
            if isinstance(node, ast.ClassDef):
                bases = {getattr(b, "id", getattr(b, "attr", "")) for b in node.bases}
                for item in node.body:
                    if (
                        isinstance(item, ast.ClassDef)
                        and item.name == "Config"
                        and bases - {"object"}
                    ):
                        yield (
                            module.path,
                            item.lineno,
                            f"{node.name}: v1 'class Config'; use model_config = ConfigDict(...)",
                        )
            elif isinstance(node, ast.Name) and node.id in ("validator", "root_validator"):
                yield (
                    module.path,
                    node.lineno,
                    f"v1 @{node.id}; use @field_validator / @model_validator",
                )
            elif isinstance(node, ast.keyword) and node.arg == "orm_mode":
                yield module.path, node.value.lineno, "v1 orm_mode; use from_attributes=True"
            elif isinstance(node, ast.Constant) and node.value == "orm_mode":
                yield module.path, node.lineno, "v1 orm_mode; use from_attributes=True"
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in PYDANTIC_V1_METHODS
                and not node.args
                and node.func.attr in ("dict", "json", "from_orm", "update_forward_refs")
                and not (
                    isinstance(node.func.value, ast.Name)
                    and node.func.value.id in ("json", "response", "r", "resp")
                )
            ):
                yield (
                    module.path,
                    node.lineno,
                    f"v1 .{node.func.attr}(); use model_dump / model_dump_json / model_validate",
                )


def check_router_prefix_and_tags(modules: list[Module]) -> Iterator[tuple[str, int, str]]:
    """Every APIRouter gets a prefix and tags (here or where it is included)."""
    included: dict[str, set[str]] = {}
    for module in modules:
        for call in _calls(module.tree, "include_router"):
            target = call.args[0] if call.args else None
            name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
            included.setdefault(name, set()).update(k.arg for k in call.keywords if k.arg)
    for module in modules:
        for node in ast.walk(module.tree):
            if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)):
                continue
            if (
                getattr(node.value.func, "id", getattr(node.value.func, "attr", None))
                != "APIRouter"
            ):
                continue
            given = {k.arg for k in node.value.keywords if k.arg}
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            # An aggregating router (one that only includes others) needs neither.
            has_routes = any(_route_functions(module.tree))
            if not has_routes:
                continue
            for name in names:
                elsewhere = included.get(name, set()) | included.get(Path(module.path).stem, set())
                if _common_path_prefix(module.tree, name):
                    elsewhere = elsewhere | {"prefix"}  # written out in every route's path
                missing = {"prefix", "tags"} - given - elsewhere
                if missing:
                    yield module.path, node.lineno, f"APIRouter {name!r} without {sorted(missing)}"


def _common_path_prefix(tree: ast.AST, router: str) -> bool:
    """Every route of ``router`` (two or more) spells the same leading path segment."""
    firsts, routes = set(), 0
    for func in _route_functions(tree):
        for deco in func.decorator_list:
            if not (isinstance(deco, ast.Call) and isinstance(deco.func, ast.Attribute)):
                continue
            if getattr(deco.func.value, "id", None) != router or not deco.args:
                continue
            path = deco.args[0]
            if not (isinstance(path, ast.Constant) and isinstance(path.value, str)):
                return False
            firsts.add(path.value.strip("/").split("/")[0])
            routes += 1
    return routes >= 2 and len(firsts) == 1 and "" not in firsts


def check_no_stub_bodies(modules: list[Module]) -> Iterator[tuple[str, int, str]]:
    """No route or function left as ``pass`` / ``...`` / ``raise NotImplementedError``."""
    for module in modules:
        for node in ast.walk(module.tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            body = [
                s
                for s in node.body
                if not (
                    isinstance(s, ast.Expr)
                    and isinstance(s.value, ast.Constant)
                    and isinstance(s.value.value, str)
                )
            ]
            if not body:
                continue
            only = body[0] if len(body) == 1 else None
            stub = isinstance(only, ast.Pass) or (
                isinstance(only, ast.Expr)
                and isinstance(only.value, ast.Constant)
                and only.value.value is Ellipsis
            )
            if isinstance(only, ast.Raise) and only.exc is not None:
                exc = only.exc.func if isinstance(only.exc, ast.Call) else only.exc
                stub = getattr(exc, "id", "") == "NotImplementedError"
            abstract = any(
                getattr(d, "id", getattr(d, "attr", "")) in ("abstractmethod", "overload")
                for d in node.decorator_list
            )
            if stub and not abstract and not _in_protocol(module.tree, node):
                yield module.path, node.lineno, f"{node.name}() has a stub body"


def _in_protocol(tree: ast.Module, func: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and func in node.body:
            bases = {getattr(b, "id", getattr(b, "attr", "")) for b in node.bases}
            return bool(bases & {"Protocol", "ABC"})
    return False


def check_no_hardcoded_secrets(modules: list[Module]) -> Iterator[tuple[str, int, str]]:
    """Secrets come from the environment/settings, never string literals in code."""
    for module in modules:
        for node in ast.walk(module.tree):
            targets: list[str] = []
            value = None
            if isinstance(node, ast.Assign):
                targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
                targets += [t.attr for t in node.targets if isinstance(t, ast.Attribute)]
                value = node.value
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                targets, value = [node.target.id], node.value
            if (
                value is None
                or not isinstance(value, ast.Constant)
                or not isinstance(value.value, str)
            ):
                continue
            for name in targets:
                if (
                    SECRET_NAME.search(name)
                    and not NOT_SECRET_VALUE.match(value.value)
                    and "url" not in name.lower()
                ):
                    yield (
                        module.path,
                        node.lineno,
                        f"{name} is a hard-coded string; read it from the environment",
                    )
        for call in _calls(module.tree, "encode"):
            # jwt.encode(payload, key, ...) only: str.encode("ascii", "replace") has a
            # string literal second argument too.
            receiver = getattr(call.func, "value", None)
            if isinstance(call.func, ast.Attribute) and getattr(receiver, "id", None) != "jwt":
                continue
            if (
                len(call.args) >= 2
                and isinstance(call.args[1], ast.Constant)
                and isinstance(call.args[1].value, str)
            ):
                yield (
                    module.path,
                    call.lineno,
                    "token signed with a literal key; read the key from the environment",
                )


CHECKS = (
    Check(
        "CONF001",
        "middleware",
        "warning",
        "Dependencies use Annotated[T, Depends(...)] (agent file: Endpoint/Dependency Pattern)",
        check_annotated_dependencies,
    ),
    Check(
        "CONF002",
        "schemas",
        "error",
        "Pydantic v2 idioms (agent file: 'Leverage Pydantic v2 features')",
        check_pydantic_v2,
    ),
    Check(
        "CONF003",
        "api-design",
        "warning",
        "APIRouter with prefix and tags (agent file: 'Structure routes using APIRouter')",
        check_router_prefix_and_tags,
    ),
    Check(
        "CONF004",
        "structure",
        "error",
        "No stub or pass bodies (production-quality code)",
        check_no_stub_bodies,
    ),
    Check(
        "CONF005",
        "security",
        "error",
        "No secrets in code (agent file: 'No sensitive data in logs or error messages')",
        check_no_hardcoded_secrets,
    ),
)


MAX_SOURCE_BYTES = 1_000_000
"""Larger Python files are reported as unparsed rather than analysed."""


def parse_workspace(root: Path) -> tuple[list[Module], list[Finding]]:
    modules, problems = [], []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if any(
            part.startswith(".") or part in ("tests", "__pycache__") for part in Path(rel).parts
        ):
            continue
        try:
            # The sample's file: read without following links or blocking, size-capped, and
            # a parse that exhausts the stack or memory is the file's fault, not the harness's.
            source = untrusted.read_bytes(path, max_bytes=MAX_SOURCE_BYTES).decode("utf-8")
            modules.append(Module(rel, ast.parse(source, filename=rel)))
        except (SyntaxError, ValueError, OSError, RecursionError, MemoryError) as exc:
            problems.append(
                Finding(
                    code="CONF000",
                    message=f"does not parse: {exc}",
                    path=rel,
                    severity="error",
                    rule="structure",
                )
            )
    return modules, problems


def _untouched_starter_files(ctx: GradeContext) -> set[str]:
    same = set()
    for rel, content in ctx.case.workspace.items():
        if not rel.endswith(".py"):
            continue
        try:
            if untrusted.read_bytes(ctx.workspace / rel, max_bytes=MAX_SOURCE_BYTES) == content:
                same.add(rel)
        except (OSError, ValueError):
            continue
    return same


class ConformanceGrader:
    name = "conformance"

    def grade(self, ctx: GradeContext) -> GradeResult:
        modules, findings = parse_workspace(ctx.workspace)
        untouched = _untouched_starter_files(ctx)
        passed_checks, failed_checks = [], []
        for check in CHECKS:
            try:
                hits = list(check.run(modules))
            except (RecursionError, MemoryError) as exc:  # a pathological tree is a finding
                hits = [("", 0, f"could not be checked: {type(exc).__name__}")]
            # A starting file the agent left as it was is the task's, not the agent's work.
            hits = [hit for hit in hits if hit[0] not in untouched]
            for path, line, message in hits:
                findings.append(
                    Finding(
                        code=check.id,
                        message=f"{message} [{check.requirement}]",
                        path=path,
                        line=line,
                        severity=check.severity,
                        rule=check.rule,
                    )
                )
            (failed_checks if hits else passed_checks).append(check)
        total = len(CHECKS) + (1 if findings and findings[0].code == "CONF000" else 0)
        score = len(passed_checks) / total if modules else 0.0
        outcomes = [
            TestOutcome(
                id=check.id,
                outcome="failed" if check in failed_checks else "passed",
                message=check.requirement,
                rules=[check.rule],
            )
            for check in CHECKS
        ]
        return GradeResult(
            grader=self.name,
            score=round(score, 4),
            passed=bool(modules) and not any(f.severity == "error" for f in findings),
            findings=findings,
            tests=outcomes,
            details="passed: "
            + ", ".join(f"{c.id} {c.rule}" for c in passed_checks)
            + (
                "; failed: " + ", ".join(f"{c.id} {c.rule}" for c in failed_checks)
                if failed_checks
                else ""
            ),
        )
