"""The reference provider's self-check option: a mutant standing in for a case's reference."""

from __future__ import annotations

import asyncio

import pytest

from evals.agent import parse_agent_file
from evals.cases import REFERENCE, Variant, load_case
from evals.config import DEFAULT_AGENT, RunOptions
from evals.errors import UsageError
from evals.providers.base import SampleSpec
from evals.providers.reference import ReferenceProvider
from evals.records import ModelRequest


def written_files(provider: ReferenceProvider, sample: SampleSpec) -> dict[str, str]:
    request = ModelRequest(model="reference", system="", tools=[], messages=[])
    reply = asyncio.run(provider.complete(request, sample))
    return {b.input["file_path"]: b.input["content"] for b in reply.content}


def test_a_stand_in_mutant_plays_the_reference_and_nothing_else(make_case):
    case = load_case(make_case("ping"))
    agent = parse_agent_file(DEFAULT_AGENT)
    plain = ReferenceProvider.create(RunOptions(), agent)
    swapped = ReferenceProvider.create(RunOptions(stand_in=["ping=broken"]), agent)
    samples = swapped.samples([case], 1)
    assert [s.variant.label for s in samples] == ["reference", "mutant-broken"]
    reference = SampleSpec(case, REFERENCE, 0)
    assert '"ko"' in written_files(swapped, reference)["/workspace/app/main.py"]
    assert '"ok"' in written_files(plain, reference)["/workspace/app/main.py"]
    mutant = SampleSpec(case, Variant("mutant", "broken"), 0)
    assert written_files(swapped, mutant) == written_files(plain, mutant)


def test_a_bad_stand_in_is_a_usage_error(make_case):
    case = load_case(make_case("ping"))
    agent = parse_agent_file(DEFAULT_AGENT)
    with pytest.raises(UsageError, match="CASE=MUTANT"):
        ReferenceProvider.create(RunOptions(stand_in=["ping"]), agent)
    provider = ReferenceProvider.create(RunOptions(stand_in=["ping=nope"]), agent)
    with pytest.raises(UsageError, match="ping=nope"):
        provider.samples([case], 1)
