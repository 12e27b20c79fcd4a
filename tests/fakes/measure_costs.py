"""Measure what one sample of each case costs, on the fake Messages API.

    .venv/bin/python tests/fakes/measure_costs.py

Each case is played by a scripted agent that does the minimum a real one does: read the
starting files, write the case's reference solution, import-check it with Bash, and
summarise (4 or 5 turns). The loop, the tools, the request shape and the prompt-cache
breakpoints are the real ones; token counts are the fake's offline estimate, and prompt
caching is simulated from the breakpoints. Prices come from evals/models.py. A real session
explores more, thinks (thinking tokens are billed as output) and takes more turns: read the
result as a floor, and the per-turn figures to scale it.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[2]), str(Path(__file__).resolve().parents[1])]

from evals import models  # noqa: E402
from evals.agent import parse_agent_file  # noqa: E402
from evals.cases import AGENT, REFERENCE, Case, load_suite  # noqa: E402
from evals.config import DEFAULT_AGENT, DEFAULT_CASES, RunOptions  # noqa: E402
from evals.prompt import render_task  # noqa: E402
from evals.providers.anthropic import AnthropicProvider  # noqa: E402
from evals.providers.base import SampleSpec  # noqa: E402
from evals.records import Transcript, Usage  # noqa: E402
from evals.response_cache import ResponseCache  # noqa: E402
from evals.solve import Budget, loop_limits, solve  # noqa: E402
from evals.tools import Toolset  # noqa: E402
from evals.workspace import Workspace  # noqa: E402
from fakes.messages_api import FakeMessagesAPI, Reply, by_turn, text, tool_use  # noqa: E402
from fakes.sessions import write_files_turn  # noqa: E402


def session(case: Case) -> list[Reply]:
    turns: list[Reply] = []
    if case.workspace:
        reads = [
            tool_use("Read", {"file_path": f"/workspace/{rel}"}, f"toolu_r_{n}")
            for n, rel in enumerate(sorted(case.workspace))
        ]
        turns.append(Reply([text("Reading the existing code."), *reads], "tool_use"))
    files = {rel: data.decode() for rel, data in case.solution_overlay(REFERENCE).items()}
    turns.append(write_files_turn(files, turn=len(turns)))
    turns.append(
        Reply(
            [tool_use("Grep", {"pattern": "APIRouter", "path": "/workspace"}, "toolu_check")],
            "tool_use",
        )
    )
    turns.append(Reply([text("Done: " + ", ".join(sorted(files))[:400])]))
    return turns


async def measure(case: Case, root: Path, model: str) -> Transcript:
    provider = AnthropicProvider(model, cache=ResponseCache(root / "cache"), read_cache=False)
    workspace = Workspace.create(root / case.id, case.workspace)
    try:
        return await solve(
            SampleSpec(case, AGENT, 0),
            agent=parse_agent_file(DEFAULT_AGENT),
            provider=provider,
            toolset=Toolset(workspace=workspace),
            model=model,
            task=render_task(case),
            limits=loop_limits(RunOptions(), case, model, provider),
            budget=Budget(),
        )
    finally:
        await provider.aclose()


def main() -> None:
    model = models.resolve("sonnet")
    cases = load_suite(DEFAULT_CASES)
    rows = []
    with tempfile.TemporaryDirectory() as tmp, FakeMessagesAPI() as fake:
        os.environ.update(ANTHROPIC_BASE_URL=fake.url, ANTHROPIC_API_KEY="sk-ant-fake")
        for case in cases:
            fake.script = by_turn(session(case))
            # Each case alone, as the first call of a run (its prefix is written, not read):
            # the most expensive position for a case.
            fake._seen_prefixes.clear()
            transcript = asyncio.run(measure(case, Path(tmp), model))
            usage = sum((t.usage for t in transcript.turns), Usage())
            rows.append((case.id, len(transcript.turns), usage))
    print(f"{'case':<20} turns  {'in':>6} {'c.read':>7} {'c.write':>7} {'out':>6}", end="")
    print("   sonnet     opus    haiku  sonnet+batch")
    for case_id, turns, u in rows:
        costs = [models.cost_usd(models.resolve(a), u) for a in ("sonnet", "opus", "haiku")]
        batch = models.cost_usd(model, u, batch=True)
        print(
            f"{case_id:<20} {turns:>5}  {u.input_tokens:>6} {u.cache_read_tokens:>7} "
            f"{u.cache_write_tokens:>7} {u.output_tokens:>6}  "
            + "  ".join(f"${c:.4f}" for c in costs)
            + f"  ${batch:.4f}"
        )
    total = sum((u for *_, u in rows), Usage())
    n = len(rows)
    print(
        f"mean per case: {total.input_tokens // n} in, {total.cache_read_tokens // n} cache "
        f"read, {total.cache_write_tokens // n} cache write, {total.output_tokens // n} out; "
        f"sonnet ${models.cost_usd(model, total) / n:.4f}"
    )


if __name__ == "__main__":
    main()
