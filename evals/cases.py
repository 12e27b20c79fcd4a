"""Golden cases: the folder format of ``cases/README.md``, loaded and validated strictly.

A :class:`Case` holds its file trees in memory (cases are small), so the same record can come
from a folder or from an exported dataset, and every later stage works on values, not paths.
"""

from __future__ import annotations

import ast
import hashlib
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from evals.errors import CaseError
from evals.rules import unknown_rules
from evals.store import atomic_write
from graders import registry

KINDS = ("create", "retrofit", "refactor", "review-and-fix")
DIFFICULTIES = ("easy", "medium", "hard")
_TOP_KEYS = {
    "id", "title", "kind", "difficulty", "tags", "entrypoint", "must_pass",
    "limits", "graders", "mutants", "description", "env", "requirements", "alternatives",
    "mutation",
}  # fmt: skip
_LIMIT_KEYS = {"timeout_s", "max_turns"}
_GRADER_KEYS = {"weight", "required"}
_MUTANT_KEYS = {"description", "must_fail", "origin", "base", "requirement", "base_hash"}
_ALTERNATIVE_KEYS = {"description", "origin"}
_REQUIREMENT_KEYS = {"quote", "waived"}
_MUTATION_KEYS = {"equivalent"}
ORIGINS = ("author", "blind")
"""Who wrote a known solution: the case's author (who also wrote its tests), or a blind author
who saw only what the agent sees (cases/README.md, "Blind solutions")."""
PARTIALS = "_partials"
"""The cases folder's shared prompt templates (the environment contract), by file name."""
_REQUIREMENT_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_ENTRYPOINT = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")

Files = Mapping[str, bytes]


@dataclass(frozen=True)
class GraderSpec:
    name: str
    weight: float
    required: bool


@dataclass(frozen=True)
class Requirement:
    """One requirement the prompt states: an id the hidden tests cite, and the sentence."""

    id: str
    quote: str
    waived: str = ""
    """Why no hidden test checks it (empty: a test must)."""


@dataclass(frozen=True)
class AlternativeSpec:
    name: str
    description: str = ""
    origin: str = "author"


def names_test(entry: str, test_id: str) -> bool:
    """A ``must_fail`` entry names a collected test id: the exact id, or, bare, the test and
    each of its parametrized ids (``test_x`` names ``test_x[1]``; ``test_x_y`` it does not)."""
    return entry in (test_id, test_id.split("[")[0])


@dataclass(frozen=True)
class MutantSpec:
    name: str
    description: str
    must_fail: tuple[str, ...]
    origin: str = "author"
    base: str = ""
    """The alternative this mutant overlays (empty: the reference)."""
    requirement: str = ""
    """The requirement id it violates (blind mutants name one)."""
    base_hash: str = ""
    """:func:`tree_hash` of its base when the mutant was made (or last checked); a mutant
    is whole files, so an edit of the base since then leaves it overlaying stale code."""


@dataclass(frozen=True)
class Variant:
    """What a sample plays: the agent itself, or one of the case's known solutions."""

    kind: str  # "agent" | "reference" | "alternative" | "mutant"
    name: str = ""

    @property
    def label(self) -> str:
        return self.kind if not self.name else f"{self.kind}-{self.name}"

    @property
    def expected_pass(self) -> bool | None:
        """What a known solution must do under grading; None for the agent."""
        return {"reference": True, "alternative": True, "mutant": False}.get(self.kind)

    @classmethod
    def parse(cls, label: str) -> Variant:
        kind, _, name = label.partition("-")
        return cls(kind, name)


AGENT = Variant("agent")
REFERENCE = Variant("reference")


@dataclass(frozen=True)
class Case:
    """One golden task: metadata, prompt and the file trees the stages need."""

    id: str
    title: str
    kind: str
    difficulty: str
    tags: tuple[str, ...]
    entrypoint: str
    must_pass: bool
    timeout_s: float
    max_turns: int
    graders: tuple[GraderSpec, ...]
    mutants: tuple[MutantSpec, ...]
    prompt_template: str
    workspace: Files
    tests: Files
    reference: Files
    alternatives: Mapping[str, Files]
    mutant_files: Mapping[str, Files]
    source: str = ""
    description: str = ""
    test_names: tuple[str, ...] = field(default=())
    partials: Mapping[str, str] | None = None
    """The prompt partials the case renders with: its cases folder's ``_partials`` or those
    shipped in a dataset; None (a case built in a test): the default cases folder's."""
    env: Mapping[str, str] = field(default_factory=dict)
    """Extra environment for grading, set before the app is first imported. ``{data}`` in a
    value stands for the sample's private writable data folder."""
    requirements: tuple[Requirement, ...] = ()
    alternative_specs: Mapping[str, AlternativeSpec] = field(default_factory=dict)
    equivalent_mutations: Mapping[str, str] = field(default_factory=dict)
    """Generated mutations (``evals validate --mutation``) no test can kill, by id, with why."""
    shim: Files = field(default_factory=dict)
    """Harness-owned files loaded into the app's process before it is served
    (``shim/evals_case_shim.py`` defines ``install(app)``): routes or dependencies the
    hidden suite observes over HTTP. Never hidden tests: the app's process must not hold
    them."""

    def variants(self) -> list[Variant]:
        """The known solutions, in the order the reference provider plays them."""
        return (
            [REFERENCE]
            + [Variant("alternative", n) for n in sorted(self.alternatives)]
            + [Variant("mutant", m.name) for m in self.mutants]
        )

    def solution_overlay(self, variant: Variant) -> dict[str, bytes]:
        """Files a known solution writes on top of the starting workspace."""
        if variant.kind == "reference":
            return dict(self.reference)
        if variant.kind == "alternative":
            return dict(self.alternatives[variant.name])
        if variant.kind == "mutant":
            return {**self.mutant_base(variant.name), **self.mutant_files[variant.name]}
        raise ValueError(f"{variant.label} has no stored solution")

    def mutant(self, name: str) -> MutantSpec:
        return next(m for m in self.mutants if m.name == name)

    def mutant_base(self, name: str) -> Files:
        """The tree a mutant overlays: the alternative its ``base`` names, or the reference."""
        base = self.mutant(name).base
        return self.alternatives[base] if base else self.reference

    def stale_mutants(self) -> list[str]:
        """Mutants whose base changed since their ``base_hash`` was recorded (or that record
        none): ``evals validate`` names them; the loader accepts them."""
        return [m.name for m in self.mutants if m.base_hash != tree_hash(self.mutant_base(m.name))]

    def origin(self, variant: Variant) -> str:
        """Who wrote a known solution (``author`` or ``blind``)."""
        if variant.kind == "alternative":
            spec = self.alternative_specs.get(variant.name)
            return spec.origin if spec else "author"
        if variant.kind == "mutant":
            return self.mutant(variant.name).origin
        return "author"

    @property
    def content_hash(self) -> str:
        digest = hashlib.sha256()
        for tree_name, tree in self._trees():
            for rel in sorted(tree):
                digest.update(f"{tree_name}/{rel}\0".encode())
                digest.update(tree[rel])
        digest.update(self.prompt_template.encode())
        return digest.hexdigest()

    def _trees(self) -> Iterable[tuple[str, Files]]:
        yield "workspace", self.workspace
        yield "tests", self.tests
        yield "reference", self.reference
        yield "shim", self.shim
        for name, tree in sorted(self.alternatives.items()):
            yield f"alternatives/{name}", tree
        for name, tree in sorted(self.mutant_files.items()):
            yield f"mutants/{name}", tree


def tree_hash(tree: Mapping[str, bytes | str]) -> str:
    """sha256 of a file tree: paths and contents, in path order (text is hashed as UTF-8)."""
    digest = hashlib.sha256()
    for rel in sorted(tree):
        content = tree[rel]
        digest.update(rel.encode() + b"\0")
        digest.update(content.encode() if isinstance(content, str) else content)
        digest.update(b"\0")
    return digest.hexdigest()


def read_tree(root: Path) -> dict[str, bytes]:
    """Every regular file under ``root`` by POSIX relative path.

    Caches and hidden folders (``__pycache__``, ``.ruff_cache``, ``.pytest_cache``) are left
    out: they are by-products of checking a case by hand, not part of it.
    """
    if not root.is_dir():
        return {}
    out: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        parts = path.relative_to(root).parts
        hidden = any(p.startswith(".") or p == "__pycache__" for p in parts)
        if hidden or path.suffix == ".pyc" or not path.is_file():
            continue
        out[path.relative_to(root).as_posix()] = path.read_bytes()
    return out


def load_case(folder: Path) -> Case:
    """Load and validate one case folder; each problem is a :class:`CaseError` with the path."""
    folder = Path(folder)
    toml_path = folder / "case.toml"
    if not toml_path.is_file():
        raise CaseError("missing case.toml", path=toml_path, case_id=folder.name)
    try:
        data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CaseError(f"invalid TOML: {exc}", path=toml_path, case_id=folder.name) from None

    prompt_path = folder / "prompt.md"
    if not prompt_path.is_file() or not prompt_path.read_text(encoding="utf-8").strip():
        raise CaseError("missing or empty prompt.md", path=prompt_path, case_id=folder.name)
    mutant_dirs = folder / "mutants"
    alt_dirs = folder / "alternatives"
    # The suite's shared prompt partials live beside its cases: a case loaded from another
    # cases folder (or an installed harness) renders with its own folder's partials.
    partials_dir = folder.parent / PARTIALS
    return build_case(
        data,
        source=str(folder),
        folder_name=folder.name,
        prompt_template=prompt_path.read_text(encoding="utf-8"),
        workspace=read_tree(folder / "workspace"),
        tests=read_tree(folder / "tests"),
        reference=read_tree(folder / "reference"),
        shim=read_tree(folder / "shim"),
        alternatives={
            p.name: read_tree(p) for p in sorted(alt_dirs.iterdir()) if p.is_dir()
        } if alt_dirs.is_dir() else {},
        mutant_files={
            p.name: read_tree(p) for p in sorted(mutant_dirs.iterdir()) if p.is_dir()
        } if mutant_dirs.is_dir() else {},
        partials={
            p.name: p.read_text(encoding="utf-8") for p in partials_dir.iterdir() if p.is_file()
        } if partials_dir.is_dir() else None,
    )  # fmt: skip


def build_case(
    data: dict[str, Any],
    *,
    source: str,
    folder_name: str | None,
    prompt_template: str,
    workspace: Files,
    tests: Files,
    reference: Files,
    alternatives: Mapping[str, Files],
    mutant_files: Mapping[str, Files],
    partials: Mapping[str, str] | None = None,
    shim: Files | None = None,
) -> Case:
    """Validate parsed case metadata plus file trees into a :class:`Case`."""
    toml_path = f"{source}/case.toml"
    case_id = str(data.get("id", folder_name or "?"))

    def fail(message: str, where: str = toml_path) -> CaseError:
        return CaseError(message, path=where, case_id=case_id)

    _reject_unknown(data, _TOP_KEYS, "", fail)
    for key in ("id", "title", "kind", "difficulty", "entrypoint"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise fail(f"'{key}' is required and must be a non-empty string")
    if folder_name is not None and data["id"] != folder_name:
        raise fail(f"id {data['id']!r} does not match the folder name {folder_name!r}")
    if data["kind"] not in KINDS:
        raise fail(f"kind {data['kind']!r} is not one of {', '.join(KINDS)}")
    if data["difficulty"] not in DIFFICULTIES:
        raise fail(f"difficulty {data['difficulty']!r} is not one of {', '.join(DIFFICULTIES)}")
    if not _ENTRYPOINT.match(data["entrypoint"]):
        raise fail(f"entrypoint {data['entrypoint']!r} must look like 'package.module:attr'")
    tags = data.get("tags", [])
    if not isinstance(tags, list) or not tags or not all(isinstance(t, str) for t in tags):
        raise fail("'tags' must be a non-empty list of rule names")
    if bad := unknown_rules(tags):
        raise fail(f"unknown tags {bad} (see evals/rules.py)")

    limits = data.get("limits", {})
    _reject_unknown(limits, _LIMIT_KEYS, "limits.", fail)
    env = data.get("env", {})
    if not isinstance(env, dict) or not all(isinstance(v, str) for v in env.values()):
        raise fail("[env] must be a table of string values")
    if reserved := sorted(k for k in env if k.startswith("EVALS_") or k == "DATABASE_URL"):
        raise fail(f"[env] may not set harness variables {reserved}")
    graders = _graders(data.get("graders"), fail)

    if not any(rel.rsplit("/", 1)[-1].startswith("test_") for rel in tests):
        raise fail("no hidden tests: tests/ must hold at least one test_*.py", f"{source}/tests")
    if not reference:
        raise fail("no reference solution: reference/ is missing or empty", f"{source}/reference")
    test_names = _test_names(tests, f"{source}/tests")
    if shim and "evals_case_shim.py" not in shim:
        raise fail("shim/ must hold evals_case_shim.py, defining install(app)", f"{source}/shim")

    requirements = _requirements(data.get("requirements", {}), fail)
    requirement_ids = {r.id for r in requirements}
    alternative_specs = {}
    declared_alts = data.get("alternatives", {})
    _reject_unknown(declared_alts, set(alternatives), "alternatives.", fail)
    for name, spec in declared_alts.items():
        _reject_unknown(spec, _ALTERNATIVE_KEYS, f"alternatives.{name}.", fail)
        origin = _origin(spec, f"alternatives.{name}", fail)
        alternative_specs[name] = AlternativeSpec(name, str(spec.get("description", "")), origin)
    mutation = data.get("mutation", {})
    _reject_unknown(mutation, _MUTATION_KEYS, "mutation.", fail)
    equivalent = mutation.get("equivalent", {})
    if not isinstance(equivalent, dict) or not all(
        isinstance(v, str) and v.strip() for v in equivalent.values()
    ):
        raise fail("mutation.equivalent must map mutation ids to the reason each is equivalent")

    declared = data.get("mutants", {})
    mutants = []
    for name in sorted(set(declared) | set(mutant_files)):
        where = f"{source}/mutants/{name}"
        if name not in mutant_files or not mutant_files[name]:
            raise fail(f"[mutants.{name}] is declared but {where}/ is missing or empty")
        if name not in declared:
            raise fail(f"{where}/ has no [mutants.{name}] table declaring its must_fail tests")
        spec = declared[name]
        _reject_unknown(spec, _MUTANT_KEYS, f"mutants.{name}.", fail)
        must_fail = spec.get("must_fail")
        if not isinstance(must_fail, list) or not must_fail:
            raise fail(f"mutants.{name}.must_fail must list the hidden tests it fails")
        if missing := [t for t in must_fail if t.split("[")[0] not in test_names]:
            raise fail(f"mutants.{name}.must_fail names unknown tests: {missing}")
        base = str(spec.get("base", ""))
        if base and base not in alternatives:
            raise fail(f"mutants.{name}.base names no alternative: {base!r}")
        requirement = str(spec.get("requirement", ""))
        if requirement and requirement not in requirement_ids:
            raise fail(f"mutants.{name}.requirement names no [requirements] entry: {requirement!r}")
        base_hash = spec.get("base_hash", "")
        if not isinstance(base_hash, str):
            raise fail(f"mutants.{name}.base_hash must be the sha256 of its base, as a string")
        origin = _origin(spec, f"mutants.{name}", fail)
        if origin == "blind" and not requirement:
            raise fail(f"mutants.{name} is blind: it must name the requirement it violates")
        mutants.append(
            MutantSpec(
                name,
                str(spec.get("description", "")),
                tuple(must_fail),
                origin=origin,
                base=base,
                requirement=requirement,
                base_hash=base_hash,
            )
        )

    return Case(
        id=data["id"],
        title=data["title"],
        kind=data["kind"],
        difficulty=data["difficulty"],
        tags=tuple(tags),
        entrypoint=data["entrypoint"],
        must_pass=bool(data.get("must_pass", False)),
        timeout_s=float(limits.get("timeout_s", 60)),
        max_turns=int(limits.get("max_turns", 40)),
        graders=graders,
        mutants=tuple(mutants),
        prompt_template=prompt_template,
        workspace=MappingProxyType(dict(workspace)),
        tests=MappingProxyType(dict(tests)),
        reference=MappingProxyType(dict(reference)),
        alternatives=_frozen_trees(alternatives),
        mutant_files=_frozen_trees(mutant_files),
        source=source,
        description=str(data.get("description", "")),
        test_names=test_names,
        partials=MappingProxyType(dict(partials)) if partials is not None else None,
        env=MappingProxyType(dict(env)),
        requirements=requirements,
        alternative_specs=MappingProxyType(alternative_specs),
        equivalent_mutations=MappingProxyType(dict(equivalent)),
        shim=MappingProxyType(dict(shim or {})),
    )  # fmt: skip


def _graders(table: Any, fail: Any) -> tuple[GraderSpec, ...]:
    """The case's graders: its ``[graders]`` table over the registry's defaults, or those
    defaults. A misspelt name fails here, not as an infra error on every sample."""
    if table is None:
        return tuple(GraderSpec(g.name, g.weight, g.required) for g in registry.defaults())
    if not isinstance(table, dict):
        raise fail("[graders] must be a table of [graders.<name>] tables")
    out = []
    for name, spec in table.items():
        if registry.find(name) is None:
            raise fail(f"unknown grader graders.{name} (known: {', '.join(registry.names())})")
        if not isinstance(spec, dict):
            raise fail(f"graders.{name} must be a table like {{ weight = 0.5 }}")
        _reject_unknown(spec, _GRADER_KEYS, f"graders.{name}.", fail)
        known = registry.info(name)
        out.append(
            GraderSpec(
                name,
                float(spec.get("weight", known.weight)),
                bool(spec.get("required", known.required)),
            )
        )
    return tuple(out)


def _requirements(table: Any, fail: Any) -> tuple[Requirement, ...]:
    if not isinstance(table, dict):
        raise fail("[requirements] must be a table of [requirements.<id>] tables")
    out = []
    for rid, spec in table.items():
        if not _REQUIREMENT_ID.match(rid):
            raise fail(f"requirement id {rid!r} must be lower-case letters, digits and '-'")
        _reject_unknown(spec, _REQUIREMENT_KEYS, f"requirements.{rid}.", fail)
        quote = spec.get("quote")
        if not isinstance(quote, str) or not quote.strip():
            raise fail(f"requirements.{rid}.quote must quote the prompt's sentence")
        waived = spec.get("waived", "")
        if not isinstance(waived, str):
            raise fail(f"requirements.{rid}.waived must be the reason no test checks it")
        out.append(Requirement(rid, " ".join(quote.split()), waived.strip()))
    return tuple(out)


def _origin(spec: dict, where: str, fail: Any) -> str:
    origin = spec.get("origin", "author")
    if origin not in ORIGINS:
        raise fail(f"{where}.origin must be one of {', '.join(ORIGINS)}, not {origin!r}")
    return origin


def _frozen_trees(trees: Mapping[str, Files]) -> Mapping[str, Files]:
    return MappingProxyType({k: MappingProxyType(dict(v)) for k, v in trees.items()})


def _reject_unknown(table: Any, allowed: set[str], prefix: str, fail: Any) -> None:
    if not isinstance(table, dict):
        raise fail(f"'{prefix.rstrip('.')}' must be a table")
    if unknown := sorted(set(table) - allowed):
        raise fail(f"unknown keys {[prefix + k for k in unknown]} (allowed: {sorted(allowed)})")


def _test_names(tests: Files, where: str) -> tuple[str, ...]:
    """Names of the test functions in the hidden suite, found without importing it."""
    names: list[str] = []
    for rel, content in sorted(tests.items()):
        if not rel.endswith(".py") or not rel.rsplit("/", 1)[-1].startswith("test_"):
            continue
        try:
            tree = ast.parse(content, filename=rel)
        except SyntaxError as exc:
            raise CaseError(f"hidden test does not parse: {exc}", path=f"{where}/{rel}") from None
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if node.name.startswith("test"):
                names.append(node.name)
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise CaseError(f"hidden test names must be unique in a case: {duplicates}", path=where)
    return tuple(names)


_MUTANT_HEADER = re.compile(r'^\[\s*mutants\.("?)([^"\]]+)\1\s*\]\s*(#.*)?$')
_BASE_HASH_LINE = re.compile(r"^base_hash\s*=")


def record_base_hashes(folder: Path) -> list[str]:
    """Write each mutant's current ``base_hash`` into ``folder/case.toml``; returns the
    mutants whose hash changed (were stale). Only those lines are touched: the rest of the
    file, comments and layout included, is kept as it is.

    Run after checking that a mutant still makes sense on its edited base (``evals
    validate`` names the stale ones)."""
    case = load_case(folder)
    toml_path = Path(folder) / "case.toml"
    stale = case.stale_mutants()
    if not stale:
        return []
    wanted = {name: tree_hash(case.mutant_base(name)) for name in stale}
    lines = toml_path.read_text(encoding="utf-8").splitlines(keepends=True)
    out: list[str] = []
    current: str | None = None
    body: list[str] = []

    def close_table() -> None:
        if current in wanted:
            kept = [line for line in body if not _BASE_HASH_LINE.match(line)]
            # Goes after the table's last key, before blank lines and comments that lead
            # into the next table.
            end = len(kept)
            while end and (not kept[end - 1].strip() or kept[end - 1].lstrip().startswith("#")):
                end -= 1
            if end and not kept[end - 1].endswith("\n"):
                kept[end - 1] += "\n"
            kept.insert(end, f'base_hash = "{wanted[current]}"\n')
            out.extend(kept)
        else:
            out.extend(body)

    for line in lines:
        if line.startswith("["):
            close_table()
            header = _MUTANT_HEADER.match(line.strip())
            current, body = (header.group(2) if header else None), []
            out.append(line)
        else:
            body.append(line)
    close_table()
    text = "".join(out)
    written = tomllib.loads(text).get("mutants", {})
    if missing := [n for n in stale if written.get(n, {}).get("base_hash") != wanted[n]]:
        raise CaseError(f"cannot place base_hash for mutants {missing}", path=toml_path)
    atomic_write(toml_path, text)
    return stale


def load_suite(root: Path, only: Iterable[str] = ()) -> list[Case]:
    """Every case under ``root`` (folders starting with '_' or '.' are not cases), or every
    case of a dataset saved by ``evals cases export --format hf``."""
    root = Path(root)
    if not root.is_dir():
        raise CaseError("cases folder not found", path=root)
    wanted = list(only)
    from evals.dataset import is_dataset_dir, load_hf

    if is_dataset_dir(root):
        return load_hf(root, wanted)
    folders = [
        p for p in sorted(root.iterdir()) if p.is_dir() and not p.name.startswith(("_", "."))
    ]
    if wanted:
        known = {p.name for p in folders}
        if missing := [w for w in wanted if w not in known]:
            raise CaseError(f"no such case(s): {missing} (known: {sorted(known)})", path=root)
        folders = [p for p in folders if p.name in wanted]
    if not folders:
        raise CaseError("no cases found", path=root)
    return [load_case(p) for p in folders]
