"""Export to a Hugging Face dataset and back: the loaded suite is the same suite."""

from evals.cases import load_case, load_suite
from evals.config import RunOptions
from evals.dataset import export_hf, is_dataset_dir
from evals.prompt import render_task, repo_partials
from evals.runner import run
from evals.store import RunStore


def test_round_trip_keeps_every_tree_and_the_prompt(make_case, tmp_path):
    case = load_case(
        make_case(
            files={
                "workspace/app/__init__.py": "",
                "alternatives/alt/app/main.py": "x = 1\n",
                "alternatives/alt/app/__init__.py": "",
            }
        )
    )
    out = export_hf([case], tmp_path / "ds", repo_partials())
    assert is_dataset_dir(out)
    (loaded,) = load_suite(out)
    assert loaded.content_hash == case.content_hash
    assert loaded.variants() == case.variants()
    assert loaded.mutants == case.mutants
    assert loaded.test_names == case.test_names
    assert render_task(loaded) == render_task(case)


def test_suite_loaded_from_a_dataset_grades_identically(make_case, tmp_path):
    folder = make_case()
    export_hf([load_case(folder)], tmp_path / "ds", repo_partials())

    def verdicts(cases_dir):
        run_dir = run(
            RunOptions(cases_dir=cases_dir, provider="reference", out=tmp_path / "r", quiet=True)
        )
        return {
            r.variant: (r.passed, r.score, [(t.id, t.outcome) for t in r.grades["tests"].tests])
            for r in RunStore.open(run_dir).results()
        }

    from_folder = verdicts(folder.parent)
    from_dataset = verdicts(tmp_path / "ds")
    assert from_folder == from_dataset
    assert from_folder["reference"][0] is True and from_folder["mutant-broken"][0] is False
