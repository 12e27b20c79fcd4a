"""``evals run`` as a user meets it, against the fake Messages API: the estimate before paying,
a cost cap as an outcome (exit 4, INCOMPLETE, kept by --resume), errors that stop the run at
once, honest accounting in run.json, and the checks made before anything is spent."""

from __future__ import annotations

import pytest
from fakes import Failure
from fakes.sessions import ping_session

from evals.cli import main
from evals.completeness import INCOMPLETE_EXIT
from evals.store import RunStore


@pytest.fixture
def suite(make_case, fake_api):
    fake_api.script = ping_session()  # two turns per sample
    return make_case().parent


def evals_run(suite, tmp_path, *flags: str) -> int:
    return main(["run", "--provider", "anthropic", "--cases", str(suite), "--workers", "1",
                 "--out", str(tmp_path / "reports"), *flags])  # fmt: skip


def only_run(tmp_path) -> RunStore:
    (folder,) = (tmp_path / "reports").iterdir()
    return RunStore.open(folder)


def test_a_capped_run_is_incomplete_keeps_its_cap_and_accounts_for_every_invocation(
    suite, fake_api, tmp_path, capsys
):
    code = evals_run(suite, tmp_path, "--samples", "3", "--concurrency", "1",
                     "--max-cost", "0.000001", "-q")  # fmt: skip
    err = capsys.readouterr().err
    assert code == INCOMPLETE_EXIT == 4
    # Even with -q: what did not run, and how to finish it.
    assert "INCOMPLETE: 3 of 3 planned sample(s) did not run (stopped by the cost cap" in err
    assert "ping (3)" in err and "--resume" in err
    store = only_run(tmp_path)
    info = store.read_info()
    assert info.max_cost == 0.000001 and len(fake_api.served) == 1
    (first,) = info.invocations
    assert first.outcome == "incomplete" and first.requests == 1
    assert first.cost_usd > 0
    assert first.cost_usd == pytest.approx(_cost(fake_api.replies[0]), abs=1e-6)

    # --resume keeps the cap: nothing new is sent, and it is still incomplete.
    assert main(["run", "--resume", str(store.root), "-q"]) == INCOMPLETE_EXIT
    assert len(fake_api.served) == 1
    assert "INCOMPLETE" in capsys.readouterr().err

    # A higher cap finishes it; the summary separates paid from reused.
    assert main(["run", "--resume", str(store.root), "--max-cost", "5"]) == 0
    err = capsys.readouterr().err
    info = store.read_info()
    assert [i.outcome for i in info.invocations] == ["incomplete", "incomplete", "complete"]
    assert info.max_cost == 5
    rows = store.results()
    assert len(rows) == 3 and all(r.passed for r in rows)
    assert len(fake_api.served) == 6  # the one paid call was not made again
    assert info.invocations[2].cache_hits == 1 and info.invocations[2].requests == 5
    paid = sum(i.cost_usd for i in info.invocations)
    assert paid == pytest.approx(sum(r.cost_usd for r in rows) + info.reused_usd, abs=1e-5)
    assert f"spend: ${paid:.4f} paid in this run folder (6 request(s) over 3" in err
    assert "INCOMPLETE" not in err


def _cost(reply: dict) -> float:
    from evals import models
    from evals.providers.anthropic import to_reply

    return to_reply(reply, models.resolve("sonnet"), latency_s=0).cost_usd


def test_a_bad_key_stops_the_run_at_once_with_the_apis_message(suite, fake_api, tmp_path, capsys):
    fake_api.fail_always = Failure(401, "authentication_error", "invalid x-api-key")
    code = evals_run(suite, tmp_path, "--samples", "3", "--concurrency", "1", "-q")
    err = capsys.readouterr().err
    assert code == 3
    assert "401" in err and "authentication_error: invalid x-api-key" in err
    assert fake_api.attempts == 1  # not retried, and no other sample tried it again
    store = only_run(tmp_path)
    assert store.results() == []  # left for --resume, not recorded as infra errors
    (inv,) = store.read_info().invocations
    assert inv.outcome == "stopped" and "invalid x-api-key" in inv.error


def test_retries_are_shown_as_they_happen_and_infra_causes_in_the_summary(
    suite, fake_api, tmp_path, capsys
):
    fake_api.fail_always = Failure(500, "api_error", "upstream exploded",
                                   headers={"retry-after-ms": "1"})  # fmt: skip
    code = evals_run(suite, tmp_path, "--concurrency", "1")
    err = capsys.readouterr().err
    assert code == 3  # every sample an infra error
    assert "retry  the API answered 500 api_error (1 so far)" in err  # plain lines: no terminal
    assert "infra errors (1, left out of every rate):" in err
    assert "upstream exploded" in err.split("infra errors")[1]
    (inv,) = only_run(tmp_path).read_info().invocations
    assert inv.retries == {
        "500 api_error": 3
    }  # the first answer and two retries (EVALS_MAX_RETRIES)


def test_progress_lines_name_each_turn_its_tool_and_the_spend(suite, tmp_path, capsys):
    assert evals_run(suite, tmp_path, "--max-cost", "2") == 0
    err = capsys.readouterr().err
    assert "start  ping agent-0" in err
    assert "turn  1  ping agent-0  Write" in err and "of $2 cap" in err
    assert "turn  2  ping agent-0  (reply)" in err


def test_a_dry_run_prints_the_plan_and_estimate_and_spends_nothing(
    suite, fake_api, tmp_path, capsys
):
    assert evals_run(suite, tmp_path, "--samples", "4", "--dry-run") == 0
    out = capsys.readouterr().out
    assert "plan: 4 sample(s) over 1 case(s), provider anthropic" in out
    assert "estimate: $" in out and "interactive" in out and "cap: none" in out
    assert fake_api.attempts == 0 and not (tmp_path / "reports").exists()


@pytest.mark.parametrize("cap", ["0", "-1"])
def test_a_cap_that_allows_nothing_is_refused(suite, fake_api, tmp_path, capsys, cap):
    assert evals_run(suite, tmp_path, "--max-cost", cap) == 2
    assert "--max-cost must be above 0" in capsys.readouterr().err
    assert fake_api.attempts == 0


def test_resume_refuses_flags_it_would_ignore(suite, tmp_path, capsys):
    assert evals_run(suite, tmp_path, "-q") == 0
    run_dir = str(only_run(tmp_path).root)
    for flags, named in ((["--samples", "3"], "--samples"), (["--model", "opus"], "--model"),
                         (["--case", "ping"], "--case")):  # fmt: skip
        assert main(["run", "--resume", run_dir, *flags]) == 2
        assert f"cannot honour {named}" in capsys.readouterr().err


def test_the_gate_baseline_is_checked_before_anything_is_spent(suite, fake_api, tmp_path, capsys):
    # An offline baseline (as committed) against an agent run: refused before the first call.
    assert main(["run", "--provider", "reference", "--cases", str(suite), "--workers", "1",
                 "--out", str(tmp_path / "base"), "-q"]) == 0  # fmt: skip
    (baseline,) = (tmp_path / "base").iterdir()
    assert evals_run(suite, tmp_path, "--gate-baseline", str(baseline)) == 2
    err = capsys.readouterr().err
    assert "is an offline run" in err and "provider 'anthropic'" in err
    assert fake_api.attempts == 0 and not (tmp_path / "reports").exists()


def test_the_gate_refuses_an_incomplete_run_unless_told_what_is_left_out(tmp_path, capsys):
    from runfactory import agent_samples, make_run

    from evals.records import Invocation

    base = make_run(tmp_path / "b", agent_samples("a", 3, 3) + agent_samples("b", 3, 3),
                    run_id="base")  # fmt: skip
    cand = make_run(tmp_path / "c", agent_samples("a", 3, 3) + agent_samples("b", 1, 1),
                    run_id="cand")  # fmt: skip
    store = RunStore.open(cand)
    info = store.read_info()
    info.planned = [f"{c}/agent-{k}" for c in ("a", "b") for k in range(3)]
    info.options["max_cost"] = 0.5
    info.invocations = [Invocation(started_at="now", outcome="incomplete", max_cost=0.5)]
    store.write_info(info)
    gate = ["gate", "--baseline", str(base), "--candidate", str(cand), "-q"]

    assert main(gate) == 2
    err = capsys.readouterr().err
    assert "the candidate is INCOMPLETE: 2 of 6 planned sample(s) did not run" in err
    assert "--allow-incomplete b" in err
    assert main([*gate, "--only-common"]) == 2  # --only-common does not hide a missing case

    assert main([*gate, "--allow-incomplete", "b"]) == 0
    md = (cand / "gate.md").read_text()
    assert "candidate INCOMPLETE: 2 of 6 planned" in md and "b (2)" in md
    html = (cand / "compare.html").read_text()
    assert 'class="banner incomplete"' in html
    # Nor can an incomplete run become a baseline.
    assert main(["gate", "--record-baseline", str(cand), "--out", str(tmp_path / "rb")]) == 2


def test_cases_export_works_as_the_readme_writes_it(make_case, tmp_path, capsys):
    folder = make_case()
    out = tmp_path / "dataset"
    assert main(["cases", "export", "--format", "hf", str(out), "--cases", str(folder.parent)]) == 0
    capsys.readouterr()
    assert main(["cases", "list", "--cases", str(out)]) == 0
    assert capsys.readouterr().out.startswith("ping ")


def test_on_a_terminal_a_costly_run_asks_first_and_a_no_spends_nothing(suite, fake_api, tmp_path):
    import os
    import pty
    import subprocess
    import sys
    from pathlib import Path

    # 200 samples: the high estimate is far above the asking threshold, and there is no cap.
    primary, secondary = pty.openpty()
    evals = str(Path(sys.executable).with_name("evals"))
    proc = subprocess.Popen(
        [evals, "run", "--provider", "anthropic", "--cases", str(suite),
         "--samples", "200", "--out", str(tmp_path / "reports")],
        stdin=secondary, stdout=secondary, stderr=secondary, env=os.environ.copy(),
    )  # fmt: skip
    os.close(secondary)
    seen = b""
    while b"[y/N]" not in seen:
        try:
            chunk = os.read(primary, 4096)
        except OSError:  # the other end closed: the process ended without asking
            chunk = b""
        assert chunk, f"the question never came: {seen!r}"
        seen += chunk
    os.write(primary, b"n\n")
    assert proc.wait(timeout=120) == 1
    os.close(primary)
    assert b"Spend up to about $" in seen and b"estimate: $" in seen
    assert fake_api.attempts == 0 and not (tmp_path / "reports").exists()
