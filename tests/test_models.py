"""The model table: aliases resolve to current (never deprecated) models, and every model
the harness may call has a price, so a cost limit always means something."""

from __future__ import annotations

import pytest

from evals import models
from evals.errors import UsageError
from evals.records import Usage


def test_no_alias_points_at_a_model_the_sdk_lists_as_deprecated():
    deprecated = models.sdk_deprecated_models()
    assert deprecated, "the installed SDK no longer exposes DEPRECATED_MODELS: update the check"
    stale = {alias: model for alias, model in models.ALIASES.items() if model in deprecated}
    assert stale == {}


def test_the_aliases_are_the_ones_claude_code_accepts_and_all_are_priced():
    assert set(models.ALIASES) == {"sonnet", "opus", "haiku"}
    for model in models.ALIASES.values():
        assert models.price_for(model).output > 0


def test_resolve_maps_aliases_inherit_and_ids():
    assert models.resolve("opus") == models.ALIASES["opus"]
    assert models.resolve(None) == models.resolve("inherit") == models.ALIASES["sonnet"]
    assert models.resolve("claude-haiku-4-5") == "claude-haiku-4-5"


def test_cost_counts_each_token_kind_at_its_rate_and_batches_at_half_price():
    usage = Usage(
        input_tokens=1_000_000,
        output_tokens=1_000_000,
        cache_read_tokens=1_000_000,
        cache_write_tokens=1_000_000,
    )
    price = models.price_for("claude-sonnet-5-5")
    full = price.input + price.output + price.cache_read + price.cache_write
    assert models.cost_usd("claude-sonnet-5-5", usage) == pytest.approx(full)
    assert models.cost_usd("claude-sonnet-5-5", usage, batch=True) == pytest.approx(full / 2)


def test_a_long_prompt_moves_the_whole_request_to_the_long_prompt_rates():
    model = "claude-haiku-5-5"
    short = Usage(input_tokens=50_000, output_tokens=1_000)
    long = Usage(input_tokens=50_000, cache_read_tokens=60_000, output_tokens=1_000)
    price = models.price_for(model)
    assert models.cost_usd(model, short) == pytest.approx(
        (50_000 * price.input + 1_000 * price.output) / 1e6
    )
    tier = price.long_prompt
    assert models.cost_usd(model, long) == pytest.approx(
        (50_000 * tier.input + 60_000 * tier.cache_read + 1_000 * tier.output) / 1e6
    )


def test_an_unpriced_model_is_refused():
    with pytest.raises(UsageError, match="no price"):
        models.cost_usd("claude-imaginary-9", Usage(output_tokens=1))
