"""The golden suite as a Hugging Face ``datasets`` dataset, and back.

One row per case: its metadata (the parsed ``case.toml``), the prompt template, the shared
prompt partials, and every file tree (starting workspace, hidden tests, reference,
alternatives, mutants) as lists of ``{path, content}``. ``save_to_disk`` / ``load_from_disk``
only: nothing touches the Hub, so it works offline.
"""

from __future__ import annotations

import base64
import json
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from evals.cases import Case, build_case
from evals.errors import CaseError

FORMAT_VERSION = 1


def is_dataset_dir(path: Path) -> bool:
    return (Path(path) / "dataset_info.json").is_file() and (Path(path) / "state.json").is_file()


def _files(tree: Mapping[str, bytes], where: str) -> list[dict[str, str]]:
    """One row per file; bytes that are not UTF-8 text travel as base64."""
    out = []
    for rel, content in sorted(tree.items()):
        try:
            out.append({"path": rel, "content": content.decode("utf-8"), "encoding": "utf-8"})
        except UnicodeDecodeError:
            encoded = base64.b64encode(content).decode("ascii")
            out.append({"path": rel, "content": encoded, "encoding": "base64"})
    return out


def _tree(files: list[dict[str, str]]) -> dict[str, bytes]:
    # Datasets exported before the encoding column existed hold UTF-8 text only.
    return {
        f["path"]: base64.b64decode(f["content"])
        if f.get("encoding") == "base64"
        else f["content"].encode("utf-8")
        for f in files
    }


def case_to_row(case: Case, partials: Mapping[str, str]) -> dict[str, Any]:
    toml_path = Path(case.source) / "case.toml"
    metadata = tomllib.loads(toml_path.read_text(encoding="utf-8")) if toml_path.is_file() else {}
    return {
        "format_version": FORMAT_VERSION,
        "id": case.id,
        "title": case.title,
        "kind": case.kind,
        "difficulty": case.difficulty,
        "tags": list(case.tags),
        "entrypoint": case.entrypoint,
        "metadata": json.dumps(metadata, sort_keys=True),
        "prompt": case.prompt_template,
        "partials": json.dumps(dict(partials), sort_keys=True),
        "workspace": _files(case.workspace, f"{case.source}/workspace"),
        "tests": _files(case.tests, f"{case.source}/tests"),
        "reference": _files(case.reference, f"{case.source}/reference"),
        "shim": _files(case.shim, f"{case.source}/shim"),
        "alternatives": [
            {"name": n, "files": _files(t, f"{case.source}/alternatives/{n}")}
            for n, t in sorted(case.alternatives.items())
        ],
        "mutants": [
            {"name": n, "files": _files(t, f"{case.source}/mutants/{n}")}
            for n, t in sorted(case.mutant_files.items())
        ],
        "test_names": list(case.test_names),
    }


def row_to_case(row: Mapping[str, Any], source: str) -> Case:
    if row.get("format_version") != FORMAT_VERSION:
        raise CaseError(f"unsupported dataset format {row.get('format_version')!r}", path=source)
    case = build_case(
        json.loads(row["metadata"]),
        source=f"{source}#{row['id']}",
        folder_name=None,
        prompt_template=row["prompt"],
        workspace=_tree(row["workspace"]),
        tests=_tree(row["tests"]),
        reference=_tree(row["reference"]),
        alternatives={a["name"]: _tree(a["files"]) for a in row["alternatives"]},
        mutant_files={m["name"]: _tree(m["files"]) for m in row["mutants"]},
        partials=json.loads(row["partials"]),
        shim=_tree(row.get("shim") or []),
    )
    return case


def export_hf(cases: list[Case], out: Path, partials: Mapping[str, str]) -> Path:
    """Save ``cases`` as a dataset; each row carries the partials its case renders with
    (``partials`` for a case that has none of its own)."""
    from datasets import Dataset

    rows = [
        case_to_row(case, case.partials if case.partials is not None else partials)
        for case in cases
    ]
    Dataset.from_list(rows).save_to_disk(str(out))
    return out


def load_hf(path: Path, only: list[str] | None = None) -> list[Case]:
    from datasets import load_from_disk

    try:
        dataset = load_from_disk(str(path))
    except (FileNotFoundError, ValueError) as exc:
        raise CaseError(f"not a saved dataset: {exc}", path=path) from None
    cases = [row_to_case(row, str(path)) for row in dataset]
    if only:
        known = {c.id for c in cases}
        if missing := [w for w in only if w not in known]:
            raise CaseError(f"no such case(s): {missing} (known: {sorted(known)})", path=path)
        cases = [c for c in cases if c.id in only]
    return cases
