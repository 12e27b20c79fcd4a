"""The agent loop: send the conversation, run the tools the model asks for, repeat.

Bounded by turns, output tokens per reply, wall time and a run-wide cost budget. A provider
that cannot answer (after its own retries) ends the sample as an infra error; a bad reply
(malformed tool input, unknown tool, path escape) is answered with a tool error and the loop
goes on, as Claude Code does.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from evals import models
from evals.agent import AgentFile
from evals.errors import FatalProviderError, ProviderError
from evals.ledger import Budget
from evals.providers import framing
from evals.providers.base import Provider, SampleSpec
from evals.records import (
    Block,
    Message,
    ModelRequest,
    TextBlock,
    ToolResultBlock,
    ToolUseBlock,
    Transcript,
    Turn,
)
from evals.tools import Toolset

if TYPE_CHECKING:
    from evals.cases import Case
    from evals.config import RunOptions

CUT_OFF_NOTE = "Your last reply was cut off at the output token limit. Continue."


@dataclass(frozen=True)
class LoopLimits:
    """One sample's bounds. No defaults here: :func:`loop_limits` derives them from the
    owners of each default (the run's options, the case, the model, the provider)."""

    max_turns: int
    max_tokens: int
    """Per reply."""
    wall_time_s: float


def loop_limits(options: RunOptions, case: Case, model: str, provider: Provider) -> LoopLimits:
    """The limits of ``case``'s samples: the options where they set one, else the case's own
    turn limit and the model's own output limit (as Claude Code asks for); the wall time is
    as long as the provider needs (:meth:`Provider.wall_time_s`)."""
    return LoopLimits(
        max_turns=options.max_turns or case.max_turns,
        max_tokens=options.max_tokens or models.max_output_tokens(model),
        wall_time_s=provider.wall_time_s(options.wall_time_s),
    )


async def solve(
    sample: SampleSpec,
    *,
    agent: AgentFile,
    provider: Provider,
    toolset: Toolset,
    model: str,
    task: str,
    limits: LoopLimits,
    budget: Budget,
) -> Transcript:
    """Run one sample's conversation to its end and return the transcript."""
    system = framing.system_prompt(agent.body)
    first: list[Block] = [TextBlock(text=framing.environment(model)), TextBlock(text=task)]
    transcript = Transcript(
        system=system,
        model=model,
        tools=[spec.name for spec in toolset.specs()],
        messages=[Message(role="user", content=first)],
    )
    deadline = time.monotonic() + limits.wall_time_s
    for _ in range(limits.max_turns):
        if budget.exhausted():
            transcript.stop = "cost_limit"
            return transcript
        if time.monotonic() > deadline:
            transcript.stop = "wall_time"
            return transcript
        request = ModelRequest(
            model=model,
            system=system,
            tools=toolset.specs(),
            messages=transcript.messages,
            max_tokens=limits.max_tokens,
            thinking=framing.THINKING,
            effort=framing.EFFORT,
        )
        try:
            reply = await asyncio.wait_for(
                provider.complete(request, sample), timeout=max(deadline - time.monotonic(), 1)
            )
        except TimeoutError:
            transcript.stop = "wall_time"
            return transcript
        except FatalProviderError as exc:
            # Left unfinished for --resume, like a cost stop; the run ends with the message.
            budget.fail(str(exc))
            transcript.stop = "fatal"
            transcript.error = str(exc)
            return transcript
        except ProviderError as exc:
            transcript.stop = "error"
            transcript.error = str(exc)
            return transcript
        if not reply.cached:  # a reply from the response cache was paid for earlier
            await budget.add(reply.cost_usd)
        transcript.turns.append(
            Turn(
                stop_reason=reply.stop_reason,
                usage=reply.usage,
                cost_usd=reply.cost_usd,
                latency_s=reply.latency_s,
                cached=reply.cached,
            )
        )
        calls = [block for block in reply.content if isinstance(block, ToolUseBlock)]
        budget.turn(
            f"{sample.case.id} {sample.dirname}",
            len(transcript.turns),
            reply.usage,
            [c.name for c in calls],
            reply.cached,
        )
        if not reply.content:
            # The API rejects an empty assistant turn; record why the loop ends instead.
            transcript.stop = reply.stop_reason or "end_turn"
            return transcript
        transcript.messages.append(Message(role="assistant", content=reply.content))
        results: list[ToolResultBlock | TextBlock] = [
            await asyncio.to_thread(toolset.execute, call) for call in calls
        ]
        if reply.stop_reason == "max_tokens":
            results.append(TextBlock(text=CUT_OFF_NOTE))
        elif not calls:
            transcript.stop = reply.stop_reason
            return transcript
        transcript.messages.append(Message(role="user", content=list(results)))
    transcript.stop = "max_turns"
    return transcript
