"""Model aliases and prices: the one table that turns ``model: sonnet`` into an id and tokens
into dollars.

The aliases are the ones Claude Code accepts in an agent file's ``model`` field. Each points at
a concrete model id, never at one the installed SDK lists as deprecated (a test checks it), so
upgrading the SDK tells us when an alias needs moving. Prices are USD per million tokens, from
the model pages and the pricing page of the Claude docs; update them here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass

from evals.errors import UsageError
from evals.records import Usage

ALIASES: dict[str, str] = {
    "sonnet": "claude-sonnet-5-5",
    "opus": "claude-opus-5-5",
    "haiku": "claude-haiku-5-5",
}
DEFAULT_ALIAS = "sonnet"
"""What an agent file without ``model`` (or with ``model: inherit``) runs on."""

MAX_OUTPUT_TOKENS: dict[str, int] = {
    # As Claude Code 2.1.332 reports and sends them (its result's modelUsage, max_tokens).
    "claude-sonnet-5-5": 128_000,
    "claude-opus-5-5": 128_000,
}
DEFAULT_MAX_OUTPUT_TOKENS = 64_000
"""For models whose limit was not measured: large enough for any file the agent writes."""

BATCH_DISCOUNT = 0.5
"""The Message Batches API bills every token category at half price (discounts stack with
prompt caching)."""


@dataclass(frozen=True)
class Price:
    """USD per million tokens for one model (5-minute cache writes: we never ask for 1 h)."""

    input: float
    output: float
    cache_write: float
    cache_read: float
    long_prompt: Price | None = None
    """Rates for a request whose prompt is over ``long_prompt_tokens`` (input + cache reads +
    cache writes); they then apply to every token of that request, output included."""
    long_prompt_tokens: int = 0


PRICES: dict[str, Price] = {
    # Current lineup (what the aliases point at).
    # Sonnet 5.5 cache reads are 0.05x input since 2026-10-07 ($0.20 before).
    "claude-sonnet-5-5": Price(input=2.00, output=10.00, cache_write=2.50, cache_read=0.10),
    "claude-opus-5-5": Price(input=4.00, output=20.00, cache_write=5.00, cache_read=0.20),
    "claude-haiku-5-5": Price(
        input=0.10,
        output=0.50,
        cache_write=0.125,
        cache_read=0.01,
        long_prompt=Price(input=0.50, output=2.50, cache_write=0.625, cache_read=0.05),
        long_prompt_tokens=100_000,
    ),
    # Earlier models still served, for --model overrides and comparisons.
    "claude-sonnet-5": Price(input=2.00, output=10.00, cache_write=2.50, cache_read=0.20),
    "claude-opus-5": Price(input=5.00, output=25.00, cache_write=6.25, cache_read=0.50),
    "claude-opus-4-8": Price(input=5.00, output=25.00, cache_write=6.25, cache_read=0.50),
    "claude-opus-4-7": Price(input=5.00, output=25.00, cache_write=6.25, cache_read=0.50),
    "claude-opus-4-6": Price(input=5.00, output=25.00, cache_write=6.25, cache_read=0.50),
    "claude-sonnet-4-6": Price(input=3.00, output=15.00, cache_write=3.75, cache_read=0.30),
    "claude-haiku-4-5": Price(input=1.00, output=5.00, cache_write=1.25, cache_read=0.10),
    "claude-haiku-4-5-20251001": Price(input=1.00, output=5.00, cache_write=1.25, cache_read=0.10),
}


def sdk_deprecated_models() -> dict[str, str]:
    """Model id -> end-of-life date, as the installed ``anthropic`` SDK lists them.

    The SDK keeps the list in two places (the one ``messages.create`` warns from, and a data
    module in newer releases); both count.
    """
    found: dict[str, str] = {}
    try:
        from anthropic.resources.messages.messages import DEPRECATED_MODELS

        found.update(DEPRECATED_MODELS)
    except ImportError:  # pragma: no cover - layout of another SDK release
        pass
    try:
        from anthropic._data import DEPRECATED_MODELS as data_deprecated

        found.update(data_deprecated)
    except ImportError:  # pragma: no cover
        pass
    return found


def resolve(name: str | None) -> str:
    """The concrete model id for an alias (``sonnet``), ``inherit``/None, or an id."""
    name = (name or "").strip()
    if not name or name == "inherit":
        name = DEFAULT_ALIAS
    return ALIASES.get(name, name)


def max_output_tokens(model: str) -> int:
    """``max_tokens`` for a model: its own output limit, as Claude Code asks for."""
    return MAX_OUTPUT_TOKENS.get(model, DEFAULT_MAX_OUTPUT_TOKENS)


def price_for(model: str) -> Price:
    try:
        return PRICES[model]
    except KeyError:
        known = ", ".join(sorted(PRICES))
        raise UsageError(
            f"no price for model {model!r}: add it to PRICES in evals/models.py "
            f"(known: {known}; aliases: {', '.join(ALIASES)})"
        ) from None


def cost_usd(model: str, usage: Usage, *, batch: bool = False) -> float:
    """What one request with this usage costs (its own prompt-length tier, batch discount)."""
    price = price_for(model)
    prompt = usage.input_tokens + usage.cache_read_tokens + usage.cache_write_tokens
    if price.long_prompt is not None and prompt > price.long_prompt_tokens:
        price = price.long_prompt
    dollars = (
        usage.input_tokens * price.input
        + usage.output_tokens * price.output
        + usage.cache_write_tokens * price.cache_write
        + usage.cache_read_tokens * price.cache_read
    ) / 1_000_000
    return dollars * BATCH_DISCOUNT if batch else dollars
