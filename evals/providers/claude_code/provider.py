"""The ``claude-code`` provider: one Claude Code session per sample, in the sample's sandbox."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evals import models
from evals.errors import ProviderError, UsageError
from evals.providers.base import Provider, SampleJob
from evals.providers.claude_code import cli
from evals.providers.claude_code.cache import RelayCache
from evals.providers.claude_code.exchanges import LOG_NAME, ExchangeLog, main_agent, to_transcript
from evals.providers.claude_code.proxy import Relay, SampleProxy
from evals.providers.claude_code.upstream import DEFAULT_MAX_RETRIES, Upstream, credentials
from evals.records import ModelReply, ModelRequest, Transcript
from evals.store import SampleLayout

if TYPE_CHECKING:
    from evals.agent import AgentFile
    from evals.config import RunOptions
    from evals.execute.sandbox import Result, Sandbox
    from evals.providers.base import SampleSpec

OUTPUT_CHARS = 4000


class ClaudeCodeProvider(Provider):
    name = "claude-code"
    drives_loop = True

    def __init__(self, model: str, cli_path: Path, *, relay: Relay, quiet: bool = False) -> None:
        self.model = model
        self.cli_path = cli_path
        self.claude_code_version = cli.version(cli_path)
        self.relay = relay
        self.quiet = quiet

    @property
    def engine(self) -> str:
        return f"claude-code {self.claude_code_version}"

    @classmethod
    def create(cls, options: RunOptions, agent: AgentFile) -> ClaudeCodeProvider:
        if options.batch:
            raise UsageError(
                "--batch: Claude Code sends each turn as it goes and cannot use Message "
                "Batches; drop --batch, or use --provider anthropic --batch (half price)"
            )
        cli_path = cli.bundled_cli()
        if credentials() is None:
            raise UsageError(
                "provider 'claude-code' needs ANTHROPIC_API_KEY (held by the harness's proxy, "
                "never passed to the sandbox), or use --provider reference"
            )
        model = models.resolve(options.model or agent.model)
        models.price_for(model)  # no price, no cost limit: refuse before spending
        upstream = Upstream(
            max_retries=int(os.environ.get("EVALS_MAX_RETRIES", DEFAULT_MAX_RETRIES))
        )
        version = cli.version(cli_path)
        relay = Relay(
            upstream=upstream,
            cache=RelayCache(),
            read_cache=not options.no_cache,
            engine=f"claude-code {version}",
        )
        return cls(model, cli_path, relay=relay, quiet=options.quiet)

    def model_for(self, agent: AgentFile, options: RunOptions) -> str:
        return self.model

    def prepare(self, sandbox: Sandbox) -> None:
        if not sandbox.can_relocate:
            raise UsageError(
                f"provider 'claude-code' runs the CLI in a bubblewrap sandbox (the workspace "
                f"at {cli.WORKSPACE}, no network); isolation {sandbox.level!r} cannot: install "
                "bubblewrap or use --provider anthropic"
            )

    async def complete(self, request: ModelRequest, sample: SampleSpec) -> ModelReply:
        raise ProviderError("provider 'claude-code' runs whole samples (run_sample), not turns")

    # --- one sample ---------------------------------------------------------------------------

    async def run_sample(self, job: SampleJob) -> Transcript:
        # exchanges.jsonl, the CLI's stdout (stream-json) and stderr
        folder = SampleLayout(job.sample_dir).engine(self.name)
        folder.mkdir(parents=True, exist_ok=True)
        log = ExchangeLog(folder / LOG_NAME)
        max_turns = job.limits.max_turns
        proxy = SampleProxy(
            self.relay,
            sample_index=job.sample.index,
            agent_name=job.agent.name,
            task=job.task,
            max_turns=max_turns,
            budget=job.budget,
            log=log,
            label=f"{job.sample.case.id} {job.sample.dirname}",
        )
        # The socket's folder is private to root on the host (a short path: sun_path is
        # 108 bytes); inside the sandbox it is the read-only /evals.
        private = Path(tempfile.mkdtemp(prefix="evals-cc-", dir="/tmp"))
        try:
            share = private / "share"
            share.mkdir()
            os.chmod(share, 0o755)
            agents = share / cli.AGENTS_NAME
            agents.write_text(
                cli.agents_json(job.agent, model=self._definition_model(job), max_turns=max_turns),
                encoding="utf-8",
            )
            os.chmod(agents, 0o644)
            socket = share / cli.SOCKET_NAME
            await proxy.start(socket)
            os.chmod(socket, 0o666)  # the leased uid must connect; the folder above is 0700
            result = await self._run_cli(job, share, folder, proxy)
        finally:
            await proxy.close()
            shutil.rmtree(private, ignore_errors=True)
        return self._transcript(log, proxy, result, max_turns, folder)

    def _definition_model(self, job: SampleJob) -> str:
        # The alias as the agent file has it (what Claude Code itself would read), unless the
        # run names a model or the file names none (Claude Code would then inherit the
        # parent's model; the harness's default is the one priced and recorded).
        written = job.agent.model
        if written and written != "inherit" and models.resolve(written) == self.model:
            return written
        return self.model

    async def _run_cli(
        self, job: SampleJob, share: Path, folder: Path, proxy: SampleProxy
    ) -> Result:
        from evals.bash_tool import bash_env
        from evals.execute.sandbox import Limits, Mount

        loop = asyncio.get_running_loop()
        done: asyncio.Future[Result] = loop.create_future()
        stoppers: list[Callable[[], None]] = []
        stop_asked = threading.Event()

        def started(stop: Callable[[], None]) -> None:
            stoppers.append(stop)
            if stop_asked.is_set():
                stop()

        def stop() -> None:
            stop_asked.set()
            for fn in list(stoppers):
                fn()

        def work() -> None:
            try:
                result = job.sandbox.run(
                    cli.argv(self.cli_path),
                    cwd=job.workspace.root,
                    mounts=[
                        Mount(job.workspace.root, writable=True, target=Path(cli.WORKSPACE)),
                        Mount(share, target=Path(cli.SHARE)),
                    ],
                    env=cli.environment(bash_env()["PATH"]),
                    limits=Limits(timeout_s=job.limits.wall_time_s, output_chars=OUTPUT_CHARS),
                    log_dir=folder,
                    started=started,
                )
            except BaseException as exc:  # handed to the event loop, raised there
                loop.call_soon_threadsafe(_settle, done, None, exc)
            else:
                loop.call_soon_threadsafe(_settle, done, result, None)

        proxy.on_stop = stop
        # A thread of its own, not the default pool: the proxy's cache writes need that pool
        # while every CLI of the run is waiting on the proxy.
        threading.Thread(target=work, name=f"claude-code {job.sample.key}", daemon=True).start()
        try:
            return await asyncio.shield(done)
        except asyncio.CancelledError:
            stop()
            with contextlib.suppress(BaseException):
                await asyncio.wait_for(asyncio.shield(done), timeout=30)
            raise

    def _transcript(
        self, log: ExchangeLog, proxy: SampleProxy, result: Result, max_turns: int, folder: Path
    ) -> Transcript:
        exchanges = log.entries
        transcript = to_transcript(exchanges, model=self.model, engine=self.engine)
        main = main_agent(exchanges)
        mine = [e for e in exchanges if e.side == "subagent" and e.agent_id == main]
        last_reply = next((e.reply for e in reversed(mine) if e.reply is not None), None)
        if proxy.stop is not None:
            transcript.stop, transcript.error = proxy.stop, proxy.error
        elif result.timed_out:
            transcript.stop = "wall_time"
        elif result.exceeded:
            transcript.stop = f"{result.exceeded}_limit"
        elif main is None:
            transcript.stop = "error"
            transcript.error = (
                f"Claude Code never started the subagent (exit {result.returncode}): "
                f"{_why(result, folder)}"
            )
        elif last_reply is None:
            transcript.stop = "error"
            transcript.error = f"the subagent got no reply: {_why(result, folder)}"
        else:
            stop_reason = str(last_reply.get("stop_reason") or "end_turn")
            ran_out = stop_reason == "tool_use" and len(mine) >= max_turns
            transcript.stop = "max_turns" if ran_out else stop_reason
        return transcript

    # --- the end of the run -------------------------------------------------------------------

    async def aclose(self) -> None:
        await self.relay.upstream.aclose()
        s = self.relay.stats
        if self.quiet or not (s.api_calls or s.cache_hits):
            return
        print(
            f"{self.engine}: {s.api_calls} API call(s), {s.cache_hits} reply(ies) from the "
            f"response cache, ${s.cost_usd:.4f} spent",
            file=sys.stderr,
        )


def _settle(done: asyncio.Future[Any], result: Any, exc: BaseException | None) -> None:
    if done.done():
        return
    if exc is not None:
        done.set_exception(exc)
    else:
        done.set_result(result)


def _why(result: Result, folder: Path) -> str:
    """The CLI's own account of its end: the stream's result message, else its stderr."""
    for line in reversed((folder / "stdout.txt").read_text(errors="replace").splitlines()):
        with contextlib.suppress(ValueError):
            event = json.loads(line)
            if isinstance(event, dict) and event.get("type") == "result":
                return str(event.get("result") or event.get("subtype") or "no result")[:500]
    tail = (result.stderr or result.stdout).strip()
    return tail[-500:] or "no output"
