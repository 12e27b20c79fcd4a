"""``evals run``: solve every sample, grade it, store it, and summarise the run.

Generation is async (bounded by ``--concurrency``); grading runs in threads bounded by
``--workers`` and overlaps generation. Each finished sample is appended to results.jsonl
before the next is reported, so Ctrl-C, SIGTERM or a crash lose nothing finished; a
re-run with ``--resume`` does only what is missing (and paid replies come from the cache).
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from evals import __version__, lint, providers, score
from evals.agent import AgentFile, parse_agent_file
from evals.bash_tool import make_bash_runner
from evals.cases import Case, load_suite
from evals.completeness import label, planned
from evals.config import DEFAULT_CASES, ROOT, RunOptions
from evals.errors import FatalProviderError, HarnessError, UsageError
from evals.estimate import RunPlan
from evals.execute import Executor, fuzzes, unsupported_reason
from evals.execute.sandbox import Sandbox, choose_level, stop_all
from evals.grade import grade_workspace, sanitize_workspace
from evals.ledger import settle_journal
from evals.progress import Progress
from evals.prompt import render_task
from evals.providers.base import Provider, SampleJob, SampleSpec
from evals.records import GradeResult, Invocation, RunInfo, SampleResult, Transcript, Usage
from evals.snapshot import read_snapshot, snapshot_of, write_snapshot
from evals.solve import Budget, LoopLimits, loop_limits, solve
from evals.store import RunStore, SampleLayout, atomic_write, new_run_id, now_iso
from evals.tools import DEFAULT_TOOLS, SUBAGENT_TOOLS, Toolset
from evals.workspace import Workspace
from graders.base import SampleExecutor
from graders.registry import RUFF
from graders.ruff_batch import BATCH as RUFF_BATCH

if TYPE_CHECKING:
    import pandas as pd


class Interrupted(HarnessError):
    exit_code = 130


@dataclass
class RunContext:
    options: RunOptions
    agent: AgentFile
    cases: list[Case]
    provider: Provider
    known_solutions: bool
    """The provider plays the cases' known solutions (``ProviderInfo.known_solutions``)."""
    model: str
    store: RunStore
    sandbox: Sandbox
    executor: SampleExecutor
    budget: Budget
    progress: Progress
    limits: dict[str, LoopLimits]
    """Each case's sample limits, derived once (:func:`evals.solve.loop_limits`)."""


def suite_hash(cases: list[Case]) -> str:
    import hashlib

    digest = hashlib.sha256()
    for case in cases:
        digest.update(case.id.encode() + b"\0" + case.content_hash.encode())
    return digest.hexdigest()


def git_sha() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=5
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() or None


def make_executor(
    options: RunOptions,
    sandbox: Sandbox,
    say: Callable[[str], None] | None = None,
    *,
    fuzz: bool = False,
) -> SampleExecutor:
    """The executor for ``options.grader_mode``; its ``mode`` is the one grading will use.

    Where warm workers cannot run at all (no bwrap, not root) the run grades fresh, and its
    executor says so: run.json records the mode that graded, not the one asked for. Warm
    judges pre-import the generated-request stack when ``fuzz`` (a case of the run fuzzes).
    """
    if options.grader_mode not in ("fresh", "warm"):
        raise UsageError(f"unknown --grader-mode {options.grader_mode!r} (fresh or warm)")
    if options.grader_mode == "warm":
        unsupported = unsupported_reason(sandbox)
        if unsupported is None:
            from evals.execute.warm_pool import WarmExecutor

            return WarmExecutor(sandbox, fuzz=fuzz)
        if say is not None:
            say(f"grading fresh: {unsupported}")
    return Executor(sandbox)


@dataclass(frozen=True)
class Finished:
    """A run as this invocation left it, its results read once: what the parquet, the summary
    and the report are made from."""

    store: RunStore
    info: RunInfo
    rows: list[SampleResult]
    frame: pd.DataFrame


def run(options: RunOptions, before_spending: Callable[[RunPlan], None] | None = None) -> Path:
    """Run (or resume) an evaluation; returns the run folder (see :func:`evaluate`)."""
    return evaluate(options, before_spending).store.root


def evaluate(
    options: RunOptions, before_spending: Callable[[RunPlan], None] | None = None
) -> Finished:
    """Run (or resume) an evaluation; returns the run with its results.

    ``before_spending`` sees the plan and estimate once every check that cannot depend on
    the model has passed (agent file, cases, provider, sandbox), before the run folder or any
    call is made; it raises to stop there (a dry run, a declined estimate, a baseline the run
    could not be compared with).
    """
    if options.resume is not None:
        store = RunStore.open(options.resume)
        info = store.read_info()
        options = resumed(options, info)
    agent = parse_agent_file(options.agent)
    lint.enforce(agent, options)  # a bad agent file stops here, before anything is spent
    cases = load_suite(options.cases_dir, options.case_ids)
    provider_name = providers.resolve_name(options.provider)
    provider = providers.provider_class(provider_name).create(options, agent)
    known_solutions = providers.info(provider_name).known_solutions
    model = provider.model_for(agent, options)
    level = choose_level(options.isolation, allow_unsafe=options.unsafe_local)
    sandbox = Sandbox(level)
    provider.prepare(sandbox)
    progress = Progress(total=0, quiet=options.quiet)

    if options.resume is not None:
        if info.agent_sha256 != agent.sha256:
            raise UsageError(
                f"the agent file changed since run {info.run_id} started; "
                "start a new run instead of resuming"
            )
        if info.claude_code_version != provider.claude_code_version:
            raise UsageError(
                f"Claude Code changed since run {info.run_id} started "
                f"({info.claude_code_version} -> {provider.claude_code_version}): it is part of "
                "the unit under test; start a new run instead of resuming"
            )
    if before_spending is not None:
        done = {r.key for r in store.results()} if options.resume is not None else set()
        specs = provider.samples(cases, options.samples)
        plan = RunPlan(
            provider=provider_name,
            model=model,
            batch=options.batch,
            cases=tuple(c.id for c in cases),
            samples=sum(s.key not in done for s in specs),
            already_done=len(done),
            max_cost=options.max_cost,
            paid_before=info.paid_usd if options.resume is not None else 0.0,
        )
        before_spending(plan)
    executor = make_executor(options, sandbox, progress.say, fuzz=any(map(fuzzes, cases)))
    if options.resume is None:
        run_id = new_run_id(agent.sha256)
        store = RunStore.create(options.out, run_id)
        info = RunInfo(
            run_id=run_id,
            harness_version=__version__,
            git_sha=git_sha(),
            agent_path=str(options.agent),
            agent_name=agent.name,
            agent_sha256=agent.sha256,
            agent_text=agent.text,
            model=model,
            provider=provider_name,
            suite_hash=suite_hash(cases),
            case_ids=[c.id for c in cases],
            samples=options.samples,
            isolation=level,
            started_at=now_iso(),
            claude_code_version=provider.claude_code_version,
            planned=[label(*s.key) for s in provider.samples(cases, options.samples)],
            options={
                "concurrency": options.concurrency,
                "max_cost": options.max_cost,
                "batch": options.batch,
                "workers": options.workers,
                "grader_mode": executor.mode,
                "cases_dir": str(Path(options.cases_dir).resolve()),
                "no_cache": options.no_cache,
                **({"stand_in": list(options.stand_in)} if options.stand_in else {}),
                **({"declared_tests_only": True} if options.declared_tests_only else {}),
            },
        )
        store.write_info(info)
    if read_snapshot(store.root) is None:
        # The cases as this run loaded them, wherever they came from (a cases folder or an
        # exported dataset, which the report could not read case folders from later). A run
        # that has one keeps it: it describes the cases the run started with.
        write_snapshot(store.root, snapshot_of(cases, options.workers))

    if known_solutions:
        progress.say(
            f"OFFLINE: provider '{provider_name}' plays the cases' known solutions; "
            "no model is called. Set ANTHROPIC_API_KEY to evaluate the agent."
        )
    progress.say(f"run {store.root}  (isolation: {level}, model: {model})")
    ctx = RunContext(
        options=options,
        agent=agent,
        cases=cases,
        provider=provider,
        known_solutions=known_solutions,
        model=model,
        store=store,
        sandbox=sandbox,
        executor=executor,
        budget=Budget(limit_usd=options.max_cost, journal=store.layout.journal),
        progress=progress,
        limits={case.id: loop_limits(options, case, model, provider) for case in cases},
    )
    ctx.budget.watcher = progress
    progress.per_turn = not known_solutions
    provider.ledger = ctx.budget
    with store.locked():
        # A new run folder has no results yet: only a resumed one is read here.
        done = {r.key for r in store.results()} if options.resume is not None else set()
        todo = [s for s in provider.samples(cases, options.samples) if s.key not in done]
        progress.total = len(todo)
        progress.limit_usd = options.max_cost
        if done:
            progress.say(f"resuming: {len(done)} sample(s) already done, {len(todo)} to go")
        invocation = _begin(store, options, ctx.budget, executor.mode)
        if invocation.resent:
            progress.say(
                f"{invocation.resent} request(s) were in flight when the last invocation was "
                "cut off: the API probably billed them, and they are sent again"
            )
        outcome = "interrupted"
        try:
            progress.start()
            _run_async(ctx, todo)
            outcome = "incomplete" if ctx.budget.capped else "complete"
        except FatalProviderError:
            outcome = "stopped"
            raise
        finally:
            progress.stop()
            _end(store, invocation, ctx.budget, outcome)
        return finish(store)


def run_cases_dir(options: RunOptions, info: RunInfo) -> Path:
    """The cases a run is resumed or graded again with: those it started with, unless
    --cases names another folder."""
    if options.cases_dir == DEFAULT_CASES and info.options.get("cases_dir"):
        return Path(info.options["cases_dir"])
    return options.cases_dir


def resumed(options: RunOptions, info: RunInfo) -> RunOptions:
    """The options of a resumed run: the run as it was started, with this invocation's cap,
    cases folder (when --cases names one) and grading flags."""
    return replace(
        options,
        provider=info.provider,
        samples=info.samples,
        case_ids=tuple(info.case_ids),
        cases_dir=run_cases_dir(options, info),
        model=None if providers.info(info.provider).known_solutions else info.model,
        # The cap the run was started with holds unless this invocation gives one.
        max_cost=options.max_cost if options.max_cost is not None else info.max_cost,
        batch=bool(info.options.get("batch")),
        declared_tests_only=bool(info.options.get("declared_tests_only")),
    )


def _begin(store: RunStore, options: RunOptions, budget: Budget, grader_mode: str) -> Invocation:
    """Record this invocation in run.json before anything is spent."""
    info = store.read_info()
    if options.resume is not None and options.max_cost != info.max_cost:
        info.options["max_cost"] = options.max_cost  # a new cap, kept by the next resume
    if not info.planned and not providers.is_offline(info.provider):
        info.planned = planned(info)
    budget.spent_usd = info.paid_usd  # the cap counts what this folder has already paid
    invocation = Invocation(
        started_at=now_iso(),
        max_cost=options.max_cost,
        grader_mode=grader_mode,
        resent=settle_journal(store.layout.journal),
    )
    info.invocations.append(invocation)
    store.write_info(info)
    return invocation


def _end(store: RunStore, invocation: Invocation, budget: Budget, outcome: str) -> None:
    info = store.read_info()
    invocation.finished_at = now_iso()
    invocation.outcome = outcome
    invocation.requests = budget.requests
    invocation.cache_hits = budget.cache_hits
    invocation.cost_usd = round(budget.paid_usd, 6)
    invocation.reused_usd = round(budget.reused_usd, 6)
    invocation.retries = dict(budget.retries)
    invocation.error = budget.fatal
    info.invocations[-1] = invocation
    info.finished_at = invocation.finished_at
    store.write_info(info)


def _quiet_interrupts(loop: asyncio.AbstractEventLoop, context: dict) -> None:
    """An interrupt that lands in a callback task (a proxy connection, say) is reported once,
    by the run's own handling below, not also as a traceback from asyncio's logger."""
    if isinstance(context.get("exception"), KeyboardInterrupt | SystemExit):
        return
    loop.default_exception_handler(context)


def _run_async(ctx: RunContext, todo: list[SampleSpec]) -> None:
    loop = asyncio.new_event_loop()
    loop.set_exception_handler(_quiet_interrupts)
    main = loop.create_task(_run_all(ctx, todo))

    def stop(signum: int, _frame: object) -> None:
        loop.call_soon_threadsafe(main.cancel)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        loop.run_until_complete(main)
    except (KeyboardInterrupt, asyncio.CancelledError):
        main.cancel()
        # A KeyboardInterrupt raised inside a task comes out of the loop again when the
        # task's waiters run: keep draining until the run's task has really ended.
        while not main.done():
            with contextlib.suppress(KeyboardInterrupt):
                loop.run_until_complete(asyncio.gather(main, return_exceptions=True))
        stop_all()  # grading threads would otherwise keep their sandboxes to the time limit
        done = len(ctx.store.results())
        raise Interrupted(
            f"interrupted: {done} sample(s) are safe in {ctx.store.root}; "
            f"finish with: evals run --resume {ctx.store.root}"
        ) from None
    finally:
        signal.signal(signal.SIGTERM, previous)
        loop.run_until_complete(ctx.provider.aclose())
        loop.close()
        ctx.executor.close()


async def _run_all(ctx: RunContext, todo: list[SampleSpec]) -> None:
    generate = asyncio.Semaphore(max(ctx.options.concurrency, 1))
    grade = asyncio.Semaphore(max(ctx.options.workers, 1))
    tasks = [asyncio.create_task(_one(ctx, s, generate, grade)) for s in todo]
    try:
        await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def _one(
    ctx: RunContext, sample: SampleSpec, generate: asyncio.Semaphore, grade: asyncio.Semaphore
) -> None:
    folder = ctx.store.layout.sample(sample.case.id, sample.dirname)
    async with generate:
        ctx.progress.sample_started(f"{sample.case.id} {sample.dirname}")
        started = time.monotonic()
        transcript = await _generate(ctx, sample, folder)
        gen_latency = time.monotonic() - started
    if transcript.stop == "fatal" or ctx.budget.fatal is not None:
        # The whole run stops: the other samples in flight are cancelled, nothing is recorded.
        raise FatalProviderError(ctx.budget.fatal or transcript.error or "the API refused")
    if transcript.stop == "cost_limit":
        # Unfinished, not failed: left out of results.jsonl so --resume can finish it.
        ctx.progress.sample_left(f"{sample.case.id} {sample.dirname}", "cost cap")
        return
    # From here on the workspace is read by the harness (as root): links, FIFOs and devices
    # the agent's Bash left are gone before any grader or the ruff batch sees it.
    await asyncio.to_thread(sanitize_workspace, folder.workspace)
    if not transcript.error and any(g.name == RUFF for g in sample.case.graders):
        RUFF_BATCH.submit(folder.workspace)  # linted in one call with the others ready
    grades: dict[str, GradeResult]
    async with grade:
        if transcript.error:
            grades, grade_latency = {}, 0.0
        else:
            grades, grade_latency = await asyncio.to_thread(
                grade_workspace,
                sample.case,
                sample.variant,
                folder.workspace,
                folder.grading.root,
                ctx.executor,
                declared_only=ctx.options.declared_tests_only,
            )
    result = build_result(ctx.store.root.name, sample, transcript, grades, folder, ctx.store)
    result.gen_latency_s = round(gen_latency, 3)
    result.grade_latency_s = round(grade_latency, 3)
    ctx.store.append_result(result)
    ctx.progress.sample_done(
        f"{sample.case.id} {sample.dirname}", result.passed, result.score, result.infra_error
    )


async def _generate(ctx: RunContext, sample: SampleSpec, folder: SampleLayout) -> Transcript:
    if folder.root.exists():
        # A sample cut short earlier: start it again (paid replies come from the cache).
        shutil.rmtree(folder.root)
    workspace = Workspace.create(folder.workspace, sample.case.workspace)
    limits = ctx.limits[sample.case.id]
    if ctx.provider.drives_loop:
        job = SampleJob(
            sample=sample,
            agent=ctx.agent,
            model=ctx.model,
            task=render_task(sample.case),
            workspace=workspace,
            sample_dir=folder.root,
            sandbox=ctx.sandbox,
            limits=limits,
            budget=ctx.budget,
        )
        transcript = await ctx.provider.run_sample(job)
        ctx.store.write_transcript(folder, transcript)
        return transcript
    enabled = ctx.agent.tools or SUBAGENT_TOOLS
    toolset = Toolset(
        workspace=workspace,
        enabled=tuple(t for t in enabled if t in DEFAULT_TOOLS),
        # Known solutions are written by file tools alone; any other transcript's Bash runs
        # (a replay's too: its workspace must come out as the agent's did).
        bash=None if ctx.known_solutions else make_bash_runner(ctx.sandbox, workspace),
    )
    transcript = await solve(
        sample,
        agent=ctx.agent,
        provider=ctx.provider,
        toolset=toolset,
        model=ctx.model,
        task=render_task(sample.case),
        limits=limits,
        budget=ctx.budget,
    )
    ctx.store.write_transcript(folder, transcript)
    return transcript


def build_result(
    run_id: str,
    sample: SampleSpec,
    transcript: Transcript,
    grades: dict[str, GradeResult],
    folder: SampleLayout,
    store: RunStore,
) -> SampleResult:
    usage = sum((t.usage for t in transcript.turns), Usage())
    rules: dict[str, float]
    infra: str | None
    if transcript.error:
        passed, value, rules, infra = False, 0.0, {}, f"generation: {transcript.error}"
    else:
        passed, value, rules, infra = score.score_sample(sample.case.graders, grades)
    return SampleResult(
        run_id=run_id,
        case_id=sample.case.id,
        variant=sample.variant.label,
        sample=sample.index,
        passed=passed,
        score=value,
        expected_pass=sample.variant.expected_pass,
        grades=grades,
        rule_scores=rules,
        infra_error=infra,
        stop=transcript.stop,
        turns=len(transcript.turns),
        usage=usage,
        cost_usd=round(sum(t.cost_usd for t in transcript.turns), 6),
        sample_dir=store.layout.sample_dir(folder),
    )


def finish(store: RunStore) -> Finished:
    """Read the run's results once, and write results.parquet from them."""
    rows = store.results()
    frame = score.to_frame(rows)
    write_parquet(store, frame)
    return Finished(store, store.read_info(), rows, frame)


def write_parquet(store: RunStore, frame: pd.DataFrame) -> None:
    """results.parquet from the rows of results.jsonl (the parquet is derived, never the source)."""
    if frame.empty:
        return
    atomic_write(store.layout.parquet, frame.to_parquet(index=False))
