"""The gate's thresholds: ``[tool.evals.gate]`` in pyproject.toml, overridable by flags.

Unknown keys and out-of-range values are configuration errors (exit 2): a typo in a threshold
must not silently loosen the gate.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from evals.errors import UsageError


@dataclass(frozen=True)
class GateConfig:
    """Thresholds, from ``[tool.evals.gate]`` in pyproject.toml, overridable by flags."""

    tolerance: float = 0.10
    """The smallest suite-wide pass-rate drop (absolute, 0..1) worth catching: ``evals plan``
    sizes runs to catch it with ``power``, and the gate warns when a comparison could not.
    Offline (deterministic) runs fail on a suite drop at least this large."""
    case_tolerance: float = 0.2
    """One unit's pass-rate drop that matters when significant."""
    alpha: float = 0.05
    """Chance of failing a no-op edit: the family-wise error over every rule of the gate."""
    correction: str = "holm"
    """holm | none: how the rules' p-values are adjusted for testing all of them (none tests
    each at alpha, and the family-wise error is then no longer held)."""
    suite_share: float = 0.8
    """Share of alpha the suite test starts with; the per-case tests share the rest (a
    rejection hands its share on, so neither is wasted)."""
    power: float = 0.8
    """Target chance of catching a ``tolerance`` drop, for ``evals plan`` and the gate's
    warning."""
    flip_below: float = 0.5
    """A unit is failing below this pass rate (passing means every sample passed)."""
    must_pass: tuple[str, ...] = ()
    """Cases treated as must-pass in addition to those marked in case.toml."""
    max_infra_rate: float = 0.1
    """Share of samples with infra errors (either run) above which the verdict is exit 3."""
    iterations: int = 2000
    """Bootstrap resamples and permutation draws."""
    seed: int = 0


_RATES = (
    "tolerance",
    "case_tolerance",
    "alpha",
    "flip_below",
    "max_infra_rate",
    "suite_share",
    "power",
)


def load_config(pyproject: Path | None, **overrides: Any) -> GateConfig:
    """``[tool.evals.gate]`` of ``pyproject`` (if any), then non-None ``overrides``."""
    values: dict[str, Any] = {}
    if pyproject is not None and Path(pyproject).is_file():
        try:
            data = tomllib.loads(Path(pyproject).read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise UsageError(f"invalid TOML: {exc}", path=pyproject) from None
        table = data.get("tool", {}).get("evals", {}).get("gate", {})
        if not isinstance(table, dict):
            raise UsageError("[tool.evals.gate] must be a table", path=pyproject)
        known = {f.name for f in fields(GateConfig)}
        if unknown := sorted(set(table) - known):
            raise UsageError(
                f"unknown keys in [tool.evals.gate]: {unknown} (known: {sorted(known)})",
                path=pyproject,
            )
        values.update(table)
    extra_must_pass = overrides.pop("must_pass", None) or ()
    values.update({k: v for k, v in overrides.items() if v is not None})
    values["must_pass"] = tuple(values.get("must_pass", ())) + tuple(extra_must_pass)
    try:
        config = GateConfig(**values)
        # field name -> value, typed Any because the names are only known at run time
        rates: dict[str, Any] = {}
        for name in _RATES:
            value = float(getattr(config, name))
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
            rates[name] = value
        config = replace(config, **rates)
        if config.correction not in ("holm", "none"):
            raise ValueError(f"correction must be 'holm' or 'none', got {config.correction!r}")
        if int(config.iterations) < 100:
            raise ValueError("iterations must be at least 100")
    except (TypeError, ValueError) as exc:
        raise UsageError(f"gate configuration: {exc}", path=pyproject) from None
    return config
