"""Lint the generated code with ruff: a pinned rule set for FastAPI code, run ``--isolated``
so a sample's own configuration cannot switch rules off.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from evals.records import Finding, GradeResult
from graders.base import GradeContext

SELECT = "F,E,W,B,S,ASYNC,FAST,UP"
# Rules that flag legitimate FastAPI code (found on blind-written correct solutions, which
# must score 1.0 on every grader):
# E501: long lines are taste; B008: flags every Depends() default; S101: asserts are fine;
# FAST001: an explicit response_model is a documented style, not a redundancy worth a point;
# FAST003: a path parameter consumed by a dependency (a "get or 404" one) is not missing;
# UP017 (timezone.utc vs UTC) and UP042 (str + Enum vs StrEnum): both spellings are current.
IGNORE = "E501,B008,S101,FAST001,FAST003,UP017,UP042"
NOT_SECRETS = {"token_type"}
"""S105 flags any string assigned to a name containing "token": OAuth2's ``token_type =
"bearer"`` is a protocol constant, not a credential."""
ERROR_PREFIXES = ("F", "S", "E9")
RULE_FOR_PREFIX = {"S": "security", "FAST": "api-design", "ASYNC": "database"}


def ruff_binary() -> str:
    candidate = Path(sys.executable).with_name("ruff")
    return str(candidate) if candidate.exists() else "ruff"


TIMEOUT_S = 60
LIMITS = ["prlimit", f"--as={2 * 1024**3}", f"--cpu={TIMEOUT_S}", f"--fsize={1024**2}", "--"]
"""ruff reads sample-made files: bounded in memory, CPU and what it may write."""


def run_ruff(paths: list[Path]) -> list[dict]:
    """ruff's JSON findings for ``paths`` (one call covers a whole batch of samples)."""
    limits = LIMITS if shutil.which("prlimit") else []
    proc = subprocess.run(
        [*limits, ruff_binary(), "check", "--isolated", "--select", SELECT, "--ignore", IGNORE,
         "--output-format", "json", "--exit-zero", "--no-cache", *map(str, paths)],
        capture_output=True, text=True, timeout=TIMEOUT_S, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip()[-500:] or f"ruff exited {proc.returncode}")
    return json.loads(proc.stdout or "[]")


def to_finding(raw: dict, root: Path) -> Finding:
    code = raw.get("code") or "E999"
    try:
        path = Path(raw["filename"]).resolve().relative_to(root.resolve()).as_posix()
    except (KeyError, ValueError):
        path = str(raw.get("filename", ""))
    prefix = next((p for p in RULE_FOR_PREFIX if code.startswith(p)), "")
    return Finding(
        code=code,
        message=str(raw.get("message", "")),
        path=path,
        line=int((raw.get("location") or {}).get("row", 0)),
        severity="error" if code.startswith(ERROR_PREFIXES) else "warning",
        rule=RULE_FOR_PREFIX.get(prefix, "structure"),
    )


def _not_a_secret(raw: dict) -> bool:
    message = str(raw.get("message", ""))
    return raw.get("code") == "S105" and any(f'"{name}"' in message for name in NOT_SECRETS)


def score_findings(findings: list[Finding]) -> float:
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    return max(0.0, 1.0 - 0.1 * errors - 0.02 * warnings)


class RuffGrader:
    name = "ruff"

    def grade(self, ctx: GradeContext) -> GradeResult:
        from graders.ruff_batch import BATCH  # one ruff call per batch of ready samples

        start = time.monotonic()
        try:
            raw = BATCH.findings(ctx.workspace)
        except OSError as exc:  # ruff itself is missing or cannot start: the harness's fault
            return GradeResult(grader=self.name, infra_error=f"ruff failed: {exc}")
        except (RuntimeError, subprocess.TimeoutExpired, ValueError) as exc:
            # ruff ran, on this workspace alone, and could not finish: what the sample left
            # (a file built to hang or crash a linter) fails the sample, never infra.
            finding = Finding(code="ruff-failed", message=f"ruff could not lint the workspace: "
                              f"{str(exc)[:300]}", severity="error", rule="structure")  # fmt: skip
            return GradeResult(
                grader=self.name, findings=[finding], details="ruff could not lint the workspace"
            )
        findings = [to_finding(r, ctx.workspace) for r in raw if not _not_a_secret(r)]
        return GradeResult(
            grader=self.name,
            score=score_findings(findings),
            passed=not any(f.severity == "error" for f in findings),
            findings=findings,
            details=f"{len(findings)} finding(s)",
            duration_s=time.monotonic() - start,
        )
