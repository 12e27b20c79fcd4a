"""The grader registry is the one place a grader's name is written that others read."""

import pytest

import graders
from graders import registry


@pytest.mark.parametrize("entry", registry.GRADERS, ids=lambda g: g.name)
def test_each_registered_grader_answers_under_its_registered_name(entry):
    # GradeResult.grader comes from the class; scoring and the report look it up by the
    # registry's name: the two must be one name.
    assert graders.get(entry.name).name == entry.name


def test_an_unknown_grader_is_refused_with_the_known_names():
    with pytest.raises(KeyError, match="known: tests, imports"):
        graders.get("judge")
