"""Check an agent file before spending anything: front matter, tool names, model alias, and
the system prompt's size in tokens (estimated offline). Exit 0 when it is usable (warnings
may be printed), 2 when it is not.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from evals.config import DEFAULT_AGENT


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file",
        nargs="?",
        type=Path,
        default=DEFAULT_AGENT,
        metavar="FILE",
        help="agent file (default: %(default)s)",
    )
    parser.add_argument(
        "--model",
        default=None,
        metavar="ID",
        help="check this model (alias or id) instead of the file's",
    )


def main(args: argparse.Namespace) -> int:
    from evals import models
    from evals.agent import parse_agent_file
    from evals.lint import lint_agent

    agent = parse_agent_file(args.file)  # a malformed file raises AgentFileError: exit 2
    report = lint_agent(agent, model=args.model)
    for issue in report.issues:
        print(f"{args.file}: {issue.severity}: {issue.message}", file=sys.stderr)
    tools = ", ".join(agent.tools) if agent.tools else "all"
    print(
        f"{args.file}: {agent.name}: model {report.model}, tools {tools}, "
        f"system prompt ~{report.prompt_tokens:,} tokens (estimated)"
    )
    if report.errors:
        return 2
    price = models.PRICES.get(report.model)
    if price is not None:
        first = report.prompt_tokens * price.cache_write / 1e6
        later = report.prompt_tokens * price.cache_read / 1e6
        print(
            f"the system prompt costs ${first:.4f} on a run's first call (cache write), "
            f"${later:.5f} on each later call (cache read)"
        )
    return 0
