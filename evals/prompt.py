"""Render a case's task prompt: its ``prompt.md`` Jinja2 template plus the shared partials
(the environment contract), and the workspace note the agent needs to use its tools.
"""

from __future__ import annotations

from functools import cache

from evals.cases import PARTIALS, Case
from evals.config import DEFAULT_CASES
from evals.environment import package_versions, python_version
from evals.errors import CaseError
from evals.workspace import VIRTUAL_ROOT

PARTIALS_DIR = DEFAULT_CASES / PARTIALS
"""Partials of the default cases folder (a case loaded elsewhere carries its own)."""


@cache
def repo_partials() -> dict[str, str]:
    if not PARTIALS_DIR.is_dir():
        return {}
    return {p.name: p.read_text(encoding="utf-8") for p in PARTIALS_DIR.iterdir() if p.is_file()}


def render_task(case: Case, partials: dict[str, str] | None = None) -> str:
    import jinja2

    if partials is None:
        partials = dict(case.partials) if case.partials is not None else repo_partials()
    templates = {
        **partials,
        "prompt.md": case.prompt_template,
    }
    env = jinja2.Environment(
        loader=jinja2.DictLoader(templates),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    try:
        body = env.get_template("prompt.md").render(
            case=case,
            entrypoint=case.entrypoint,
            packages=package_versions(),
            python_version=python_version(),
        )
    except jinja2.TemplateError as exc:
        raise CaseError(
            f"prompt.md does not render: {exc}", path=f"{case.source}/prompt.md"
        ) from None
    note = (
        f"\n\nYour workspace root is {VIRTUAL_ROOT}: use paths relative to it or under it. "
        "Work with your tools; when the task is done, reply with a short summary."
    )
    if case.workspace:
        listing = "\n".join(f"- {VIRTUAL_ROOT / rel}" for rel in sorted(case.workspace))
        note += f"\n\nThe workspace already holds these files:\n{listing}"
    return body.rstrip() + note
