import pytest

from evals.cases import REFERENCE, Variant, load_case, load_suite, record_base_hashes, tree_hash
from evals.config import DEFAULT_CASES
from evals.errors import CaseError
from graders import registry


def test_minimal_case_loads_with_variants_in_play_order(make_case):
    case = load_case(make_case())
    assert case.id == "ping"
    assert case.variants() == [REFERENCE, Variant("mutant", "broken")]
    assert case.test_names == ("test_ping_answers_ok",)
    # A mutant is an overlay on the reference: unchanged files come from the reference.
    overlay = case.solution_overlay(Variant("mutant", "broken"))
    assert set(overlay) == {"app/__init__.py", "app/main.py"}
    assert b'"ko"' in overlay["app/main.py"]


def test_golden_suite_loads():
    cases = load_suite(DEFAULT_CASES)
    ids = [c.id for c in cases]
    assert {"user-registration", "jwt-retrofit"} <= set(ids)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"case.toml": 'id = "ping"\ntitle = "t"\nkind = "create"\ndifficulty = "easy"\n'
          'tags = ["api-design"]\nentrypoint = "app.main:app"\ncolour = "red"\n'}, "unknown keys ['colour']"),
        ({"prompt.md": None}, "missing or empty prompt.md"),
        ({"tests/test_ping.py": None}, "no hidden tests"),
        ({"reference/app/main.py": None, "reference/app/__init__.py": None}, "no reference solution"),
        ({"case.toml": 'id = "ping"\ntitle = "t"\nkind = "create"\ndifficulty = "easy"\n'
          'tags = ["api-design"]\nentrypoint = "app/main.py"\n'}, "entrypoint 'app/main.py'"),
        ({"case.toml": 'id = "ping"\ntitle = "t"\nkind = "greenfield"\ndifficulty = "easy"\n'
          'tags = ["api-design"]\nentrypoint = "app.main:app"\n'}, "kind 'greenfield'"),
        ({"case.toml": 'id = "other"\ntitle = "t"\nkind = "create"\ndifficulty = "easy"\n'
          'tags = ["api-design"]\nentrypoint = "app.main:app"\n'}, "does not match the folder"),
        ({"case.toml": 'id = "ping"\ntitle = "t"\nkind = "create"\ndifficulty = "easy"\n'
          'tags = ["vibes"]\nentrypoint = "app.main:app"\n'}, "unknown tags ['vibes']"),
        ({"case.toml": 'id = "ping"\ntitle = "t"\nkind = "create"\ndifficulty = "easy"\n'
          'tags = ["api-design"]\nentrypoint = "app.main:app"\n'}, "has no [mutants.broken] table"),
        ({"case.toml": 'id = "ping"\ntitle = "t"\nkind = "create"\ndifficulty = "easy"\n'
          'tags = ["api-design"]\nentrypoint = "app.main:app"\n[mutants.broken]\n'
          'must_fail = ["test_nope"]\n'}, "unknown tests: ['test_nope']"),
        ({"case.toml": "id = 'ping\n"}, "invalid TOML"),
        ({"case.toml": 'id = "ping"\ntitle = "t"\nkind = "create"\ndifficulty = "easy"\n'
          'tags = ["api-design"]\nentrypoint = "app.main:app"\n[env]\nDATABASE_URL = "x"\n'}, "may not set harness variables ['DATABASE_URL']"),
        ({"case.toml": 'id = "ping"\ntitle = "t"\nkind = "create"\ndifficulty = "easy"\n'
          'tags = ["api-design"]\nentrypoint = "app.main:app"\n[env]\nN = 3\n'}, "[env] must be a table of string values"),
    ],
)  # fmt: skip
def test_malformed_case_gives_one_clear_error_with_the_path(make_case, change, problem):
    folder = make_case(files=change)
    with pytest.raises(CaseError) as info:
        load_case(folder)
    assert problem in str(info.value)
    assert str(folder) in str(info.value)


def test_unknown_case_id_is_named(make_case):
    root = make_case().parent
    with pytest.raises(CaseError, match=r"no such case\(s\): \['nope'\]"):
        load_suite(root, ["nope"])


def test_caches_left_by_hand_checks_are_not_part_of_a_case(make_case):
    folder = make_case(
        files={"reference/.ruff_cache/x": "junk", "reference/app/__pycache__/m.pyc": "x"}
    )
    case = load_case(folder)
    assert set(case.reference) == {"app/__init__.py", "app/main.py"}


HEAD = (
    'id = "ping"\ntitle = "t"\nkind = "create"\ndifficulty = "easy"\n'
    'tags = ["api-design"]\nentrypoint = "app.main:app"\n'
    '[mutants.broken]\nmust_fail = ["test_ping_answers_ok"]\n'
)


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ('[requirements.Bad_Id]\nquote = "x"\n', "requirement id 'Bad_Id'"),
        ('[requirements.ping-ok]\nquote = ""\n', "requirements.ping-ok.quote must quote"),
        ('[requirements.ping-ok]\nquote = "x"\ncolour = 1\n', "unknown keys ['requirements.ping-ok.colour']"),
        ('[alternatives.nope]\norigin = "blind"\n', "unknown keys ['alternatives.nope']"),
        ('[mutation]\nequivalent = { "app/main.py:1:AddNot" = "" }\n', "mutation.equivalent must map"),
    ],
)  # fmt: skip
def test_malformed_requirements_origins_and_equivalents_are_named(make_case, extra, problem):
    folder = make_case(files={"case.toml": HEAD + extra})
    with pytest.raises(CaseError) as info:
        load_case(folder)
    assert problem in str(info.value)


@pytest.mark.parametrize(
    ("mutant", "problem"),
    [
        ('origin = "blind"\n', "is blind: it must name the requirement"),
        ('origin = "blind"\nrequirement = "nope"\n', "names no [requirements] entry: 'nope'"),
        ('base = "nope"\n', "names no alternative: 'nope'"),
        ('origin = "hand"\n', "origin must be one of author, blind"),
    ],
)  # fmt: skip
def test_a_blind_mutant_must_name_a_known_requirement_and_base(make_case, mutant, problem):
    folder = make_case(files={"case.toml": HEAD + mutant})
    with pytest.raises(CaseError) as info:
        load_case(folder)
    assert problem in str(info.value)


def test_a_blind_mutant_overlays_its_base_alternative_not_the_reference(make_case):
    toml = (
        'id = "ping"\ntitle = "t"\nkind = "create"\ndifficulty = "easy"\n'
        'tags = ["api-design"]\nentrypoint = "app.main:app"\n'
        '[requirements.ping-ok]\nquote = "GET /api/v1/ping answers ok"\n'
        '[alternatives.blind-1]\norigin = "blind"\ndescription = "written blind"\n'
        '[mutants.broken]\nmust_fail = ["test_ping_answers_ok"]\n'
        '[mutants.blind-a]\norigin = "blind"\nbase = "blind-1"\nrequirement = "ping-ok"\n'
        'must_fail = ["test_ping_answers_ok"]\n'
    )
    folder = make_case(
        files={
            "case.toml": toml,
            "alternatives/blind-1/app/__init__.py": "",
            "alternatives/blind-1/app/main.py": "# blind main\n",
            "alternatives/blind-1/app/extra.py": "# only in blind-1\n",
            "mutants/blind-a/app/main.py": "# blind main, broken\n",
        }
    )
    case = load_case(folder)
    overlay = case.solution_overlay(Variant("mutant", "blind-a"))
    assert overlay["app/main.py"] == b"# blind main, broken\n"
    assert overlay["app/extra.py"] == b"# only in blind-1\n"
    assert case.origin(Variant("mutant", "blind-a")) == "blind"
    assert case.origin(Variant("alternative", "blind-1")) == "blind"
    assert case.origin(Variant("mutant", "broken")) == "author"
    assert case.origin(REFERENCE) == "author"
    assert [r.id for r in case.requirements] == ["ping-ok"]


def test_a_case_without_graders_gets_the_registry_defaults_with_their_weights(make_case):
    case = load_case(make_case())
    assert [(g.name, g.weight, g.required) for g in case.graders] == [
        (g.name, g.weight, g.required) for g in registry.defaults()
    ]
    assert "api_fuzz" not in [g.name for g in case.graders]  # opt-in: not a default


def test_a_listed_grader_takes_unset_weight_and_required_from_the_registry(make_case):
    toml = HEAD + "[graders]\ntests = { weight = 0.5 }\napi_fuzz = {}\n"
    case = load_case(make_case(files={"case.toml": toml}))
    specs = {g.name: g for g in case.graders}
    assert set(specs) == {"tests", "api_fuzz"}
    assert (specs["tests"].weight, specs["tests"].required) == (0.5, True)
    fuzz = registry.info("api_fuzz")
    assert (specs["api_fuzz"].weight, specs["api_fuzz"].required) == (fuzz.weight, fuzz.required)


def test_a_misspelt_grader_is_a_load_error_naming_the_file_and_the_known_graders(make_case):
    folder = make_case(files={"case.toml": HEAD + "[graders]\ntest = { weight = 1.0 }\n"})
    with pytest.raises(CaseError) as info:
        load_case(folder)
    message = str(info.value)
    assert "unknown grader graders.test" in message
    assert str(folder / "case.toml") in message
    assert all(name in message for name in registry.names())


def test_a_mutant_without_a_recorded_base_hash_is_stale_until_it_is_recorded(make_case):
    folder = make_case()
    toml = folder / "case.toml"
    lines = toml.read_text().splitlines(keepends=True)
    toml.write_text("".join(line for line in lines if not line.startswith("base_hash")))
    assert load_case(folder).stale_mutants() == ["broken"]
    before = (folder / "case.toml").read_text()

    assert record_base_hashes(folder) == ["broken"]
    case = load_case(folder)
    assert case.stale_mutants() == []
    assert case.mutant("broken").base_hash == tree_hash(case.reference)
    # Only the hash line was added: the rest of the file is as it was.
    after = (folder / "case.toml").read_text()
    assert [line for line in after.splitlines() if not line.startswith("base_hash")] == (
        before.splitlines()
    )
    assert record_base_hashes(folder) == []


def test_editing_the_reference_makes_its_mutants_stale(make_case):
    folder = make_case()
    record_base_hashes(folder)
    (folder / "reference/app/main.py").write_text("# rewritten\n")
    case = load_case(folder)  # a stale mutant still loads: validate names it
    assert case.stale_mutants() == ["broken"]


def test_a_blind_mutant_hashes_the_alternative_it_overlays(make_case):
    toml = HEAD.replace("[mutants.broken]", "[alternatives.blind-1]\n[mutants.broken]") + (
        '[mutants.on-alt]\nbase = "blind-1"\nmust_fail = ["test_ping_answers_ok"]\n'
    )
    folder = make_case(
        files={
            "case.toml": toml,
            "alternatives/blind-1/app/main.py": "# alternative\n",
            "mutants/on-alt/app/main.py": "# alternative, broken\n",
        }
    )
    record_base_hashes(folder)
    case = load_case(folder)
    assert case.mutant("on-alt").base_hash == tree_hash(case.alternatives["blind-1"])
    (folder / "reference/app/main.py").write_text("# the reference changed\n")
    assert load_case(folder).stale_mutants() == ["broken"]
    (folder / "alternatives/blind-1/app/main.py").write_text("# the alternative changed\n")
    assert load_case(folder).stale_mutants() == ["broken", "on-alt"]


def test_every_golden_mutant_records_the_hash_of_its_current_base():
    assert {c.id: c.stale_mutants() for c in load_suite(DEFAULT_CASES) if c.stale_mutants()} == {}
