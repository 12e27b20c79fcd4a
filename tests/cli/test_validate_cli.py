"""``evals validate`` from the command line: recording base hashes (the author's step after
checking stale mutants), and which hidden tests a mutant is graded on."""

import json

from evals.cases import load_case
from evals.cli import main


def test_recording_base_hashes_makes_a_stale_mutant_current_and_says_which(make_case, capsys):
    folder = make_case()
    main_py = folder / "reference" / "app" / "main.py"
    main_py.write_text(main_py.read_text() + "\n# the reference was edited\n")
    assert load_case(folder).stale_mutants() == ["broken"]

    assert main(["validate", "--cases", str(folder.parent), "--record-base-hashes"]) == 0

    assert load_case(folder).stale_mutants() == []
    assert "ping: mutant-broken: base_hash recorded" in capsys.readouterr().out


PASSING_ON_THE_MUTANT = """
import pytest


@pytest.mark.rule("api-design")
def test_ping_answers_ok(client):
    assert client.get("/api/v1/ping").json() == {"status": "ok"}


@pytest.mark.rule("docs")
def test_ping_is_documented(client):
    assert "/api/v1/ping" in client.get("/openapi.json").json()["paths"]
"""


def test_a_mutant_runs_only_its_declared_tests_unless_all_tests_are_asked_for(
    make_case, tmp_path, capsys
):
    # The mutant (a wrong body) is caught by test_ping_answers_ok but declares the other test.
    folder = make_case(files={"tests/test_ping.py": PASSING_ON_THE_MUTANT})
    toml = folder / "case.toml"
    toml.write_text(toml.read_text().replace('"test_ping_answers_ok"', '"test_ping_is_documented"'))
    cases = ["--cases", str(folder.parent), "--workers", "1"]

    assert main(["validate", *cases, "--keep", str(tmp_path / "declared")]) == 1
    out = capsys.readouterr().out
    assert "mutant-broken passes tests it must fail: ['test_ping_is_documented']" in out
    assert "also fails undeclared tests" not in out
    (results,) = (tmp_path / "declared").glob("*/results.jsonl")
    assert graded_on(results) == {
        "reference": ["test_ping_answers_ok", "test_ping_is_documented"],
        "mutant-broken": ["test_ping_is_documented"],
    }
    # Grading the kept run again grades its mutants the way the run did.
    assert main(["grade", str(results.parent), "--workers", "1"]) == 0
    assert graded_on(results)["mutant-broken"] == ["test_ping_is_documented"]

    assert main(["validate", *cases, "--all-tests"]) == 1
    out = capsys.readouterr().out
    assert "mutant-broken is caught only by tests it does not declare" in out
    assert "mutant broken also fails undeclared tests: ['test_ping_answers_ok']" in out


def graded_on(results):
    rows = map(json.loads, results.read_text().splitlines())
    return {r["variant"]: [t["id"] for t in r["grades"]["tests"]["tests"]] for r in rows}


def test_all_tests_is_refused_beside_mutation_testing(make_case, capsys):
    folder = make_case()
    assert main(["validate", "--cases", str(folder.parent), "--all-tests", "--mutation"]) == 2
    assert "--all-tests applies to validation alone" in capsys.readouterr().err
