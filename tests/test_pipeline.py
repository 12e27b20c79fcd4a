"""The whole offline pipeline on small synthetic cases: solve (reference provider) -> grade
(sandboxed) -> store -> score. Hostile variants must end safely, scored as failures, while
the rest of the run is graded correctly."""

import json
import textwrap

import pandas as pd

from evals.config import RunOptions
from evals.runner import run
from evals.store import RunStore

LOOP_AT_IMPORT = "while True:\n    pass\n"

STEAL_KEY = textwrap.dedent(
    """
    import glob
    import os

    from fastapi import FastAPI

    found = {k: v for k, v in os.environ.items() if "ANTHROPIC" in k or "sk-ant" in v}
    for path in glob.glob("/proc/*/environ"):
        try:
            if b"sk-ant" in open(path, "rb").read():
                found[path] = "sk-ant..."
        except OSError:
            pass

    app = FastAPI()


    @app.get("/api/v1/ping")
    def ping() -> dict[str, str]:
        # Report whatever secrets were visible instead of the expected body.
        return {"status": "ok"} if not found else {"status": json.dumps(found)}
    """
).replace("import glob", "import glob\nimport json")

TOML = """
id = "ping"
title = "Ping"
kind = "create"
difficulty = "easy"
tags = ["api-design"]
entrypoint = "app.main:app"

[limits]
timeout_s = 6

[mutants.loops-at-import]
must_fail = ["test_ping_answers_ok"]

[mutants.steals-key]
must_fail = ["test_ping_answers_ok"]
"""


def test_offline_run_grades_every_variant_and_survives_hostile_ones(
    make_case, tmp_path, monkeypatch
):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-must-not-leak")
    folder = make_case(
        toml=TOML,
        files={
            "mutants/broken/app/main.py": None,
            "mutants/loops-at-import/app/main.py": LOOP_AT_IMPORT,
            "mutants/steals-key/app/main.py": STEAL_KEY,
        },
    )
    run_dir = run(
        RunOptions(
            cases_dir=folder.parent,
            provider="reference",
            out=tmp_path / "reports",
            quiet=True,
            workers=2,
        )
    )

    store = RunStore.open(run_dir)
    info = store.read_info()
    assert info.provider == "reference" and info.isolation == "bwrap"
    rows = {r.variant: r for r in store.results()}
    assert set(rows) == {"reference", "mutant-loops-at-import", "mutant-steals-key"}

    reference = rows["reference"]
    assert reference.passed and reference.infra_error is None
    assert reference.grades["tests"].score == 1.0 and reference.grades["imports"].score == 1.0
    assert reference.rule_scores["api-design"] == 1.0

    looping = rows["mutant-loops-at-import"]
    assert not looping.passed and looping.infra_error is None
    tests = looping.grades["tests"]
    assert tests.tests[0].outcome == "missing"
    assert "time limit" in tests.tests[0].message
    assert "app.main" in looping.grades["imports"].findings[0].path

    # The key was in the harness's environment; the sample saw none of it.
    stealing = rows["mutant-steals-key"]
    assert stealing.passed, stealing.grades["tests"].tests[0].message

    frame = pd.read_parquet(run_dir / "results.parquet")
    assert len(frame) == 3
    assert {"case_id", "sample", "variant", "passed", "score", "tests", "imports", "ruff"} <= set(
        frame.columns
    )
    transcript = json.loads((run_dir / "samples/ping/reference-0/transcript.json").read_text())
    assert transcript["messages"][1]["content"][0]["name"] == "Write"
    assert (run_dir / "samples/ping/reference-0/workspace/app/main.py").exists()


def test_resume_does_only_the_missing_samples(make_case, tmp_path):
    folder = make_case()
    run_dir = run(
        RunOptions(cases_dir=folder.parent, provider="reference", out=tmp_path, quiet=True)
    )
    store = RunStore.open(run_dir)
    rows = store.results()
    assert len(rows) == 2
    # Drop one finished row and tear the last line, as a crash mid-write would.
    text = (run_dir / "results.jsonl").read_text().splitlines()
    (run_dir / "results.jsonl").write_text(text[0] + "\n" + text[1][: len(text[1]) // 2])
    assert len(store.results()) == 1

    # The run remembers its suite: no --cases needed to resume it.
    run(RunOptions(resume=run_dir, quiet=True))
    again = store.results()
    assert sorted(r.variant for r in again) == ["mutant-broken", "reference"]


SETTINGS_AT_IMPORT = textwrap.dedent(
    """
    import os

    from fastapi import FastAPI

    GREETING = os.environ["GREETING"]  # read once, at import, as settings modules do
    app = FastAPI()


    @app.get("/api/v1/ping")
    def ping() -> dict[str, str]:
        return {"status": "ok" if GREETING.endswith("/uploads") else GREETING}
    """
)


def test_case_env_is_in_place_before_the_app_is_first_imported(make_case, tmp_path):
    toml = TOML.split("[mutants.")[0] + '[env]\nGREETING = "{data}/uploads"\n'
    folder = make_case(
        toml=toml,
        files={"reference/app/main.py": SETTINGS_AT_IMPORT, "mutants/broken/app/main.py": None},
    )
    run_dir = run(
        RunOptions(cases_dir=folder.parent, provider="reference", out=tmp_path, quiet=True)
    )
    (row,) = RunStore.open(run_dir).results()
    assert row.grades["imports"].passed
    assert row.passed, row.grades["tests"].tests[0].message


def test_a_run_that_could_not_grade_warm_records_that_it_graded_fresh(
    make_case, tmp_path, monkeypatch
):
    import evals.runner

    # As on a machine without bubblewrap: warm workers cannot start at all.
    monkeypatch.setattr(evals.runner, "unsupported_reason", lambda sandbox: "no bwrap here")
    folder = make_case()
    run_dir = run(
        RunOptions(
            cases_dir=folder.parent,
            provider="reference",
            out=tmp_path,
            quiet=True,
            grader_mode="warm",
        )
    )
    store = RunStore.open(run_dir)
    info = store.read_info()
    assert info.options["grader_mode"] == "fresh"
    assert [i.grader_mode for i in info.invocations] == ["fresh"]
    assert {r.variant: r.passed for r in store.results()} == {
        "reference": True,
        "mutant-broken": False,
    }


def test_warm_grading_falls_back_to_a_fresh_executor_where_it_cannot_run():
    from evals.execute import Sandbox
    from evals.runner import make_executor

    said: list[str] = []
    executor = make_executor(RunOptions(grader_mode="warm"), Sandbox("unshare"), said.append)
    try:
        assert executor.mode == "fresh"
        assert said == ["grading fresh: warm workers need bwrap isolation (here: unshare)"]
    finally:
        executor.close()


def test_a_run_from_an_exported_dataset_keeps_its_cases_titles_and_starting_files(
    make_case, tmp_path
):
    from evals.cases import load_case
    from evals.dataset import export_hf
    from evals.prompt import repo_partials
    from evals.snapshot import read_snapshot

    folder = make_case(files={"workspace/app/__init__.py": "# start here\n"})
    dataset = export_hf([load_case(folder)], tmp_path / "ds", repo_partials())
    run_dir = run(RunOptions(cases_dir=dataset, provider="reference", out=tmp_path, quiet=True))
    # Written by the run itself: no case folder exists for the report to read it from.
    snapshot = read_snapshot(run_dir)
    assert snapshot is not None
    facts = snapshot.get("ping")
    assert facts is not None and facts.title == "Ping"
    assert facts.workspace == {"app/__init__.py": "# start here\n"}
