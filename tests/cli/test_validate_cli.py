"""``evals validate --record-base-hashes``: the author's step after checking stale mutants."""

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
