"""The ``evals`` command: a thin dispatcher over one module per subcommand.

Subcommand modules are imported only when used, so ``evals --help`` stays fast. Each module
defines ``add_arguments(parser)`` and ``main(args) -> int``; its one-line help is in
:data:`COMMANDS` (the listing needs it without importing the module).

Exit codes: 0 success; 1 a failing verdict (validation violation, gate regression);
2 usage, configuration or input error; 3 infrastructure failure; 4 a run stopped by its cost
cap (incomplete); 130 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import signal
import sys
import threading

from evals import __version__

COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("evals.cli.run", "run the suite against the agent (or its known solutions offline)"),
    "grade": ("evals.cli.grade", "re-grade a run's transcripts with today's graders"),
    "report": ("evals.cli.report", "(re)write RUN/report.html"),
    "gate": ("evals.cli.gate", "compare a candidate run with a baseline; exit 1 on regression"),
    "plan": ("evals.cli.plan", "samples per case a gate needs to catch a drop, and their cost"),
    "validate": ("evals.cli.validate", "prove the suite: references pass, mutants fail"),
    "lint": ("evals.cli.lint", "check an agent file before spending anything"),
    "cases": ("evals.cli.cases", "list the cases, or export them as a dataset"),
}
EXIT_CODES = """exit codes:
  0    success
  1    a failing verdict (validation violation, gate regression)
  2    usage, configuration or input error (bad agent file, bad case, bad flag)
  3    infrastructure failure (sandbox, API after retries, all samples infra-errored,
       an API error no retry heals: 401, 403, unknown model)
  4    evals run stopped by its cost cap: the run is INCOMPLETE (evals run --resume RUN)
  130  interrupted (finished samples are kept; resume with evals run --resume RUN)
"""


def _available() -> dict[str, tuple[str, str]]:
    from importlib.util import find_spec

    return {name: spec for name, spec in COMMANDS.items() if find_spec(spec[0]) is not None}


def _top_parser(commands: dict[str, tuple[str, str]]) -> argparse.ArgumentParser:
    listing = "\n".join(f"  {name:<10} {help_}" for name, (_, help_) in commands.items())
    parser = argparse.ArgumentParser(
        prog="evals",
        description="Evaluate a FastAPI agent prompt against golden tasks.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=f"commands:\n{listing}\n\n{EXIT_CODES}\n"
        "Run 'evals COMMAND --help' for a command's flags.",
    )
    parser.add_argument("--version", action="version", version=f"evals {__version__}")
    parser.add_argument("command", nargs="?", choices=list(commands), metavar="COMMAND")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = _available()
    top = _top_parser(commands)
    if not argv or argv[0].startswith("-"):
        top.parse_args(argv)
        top.print_help()
        return 0 if argv else 2
    name = argv[0]
    if name not in commands:
        top.error(f"unknown command {name!r} (choose from {', '.join(commands)})")
    module = importlib.import_module(commands[name][0])
    parser = argparse.ArgumentParser(
        prog=f"evals {name}",
        description=module.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=EXIT_CODES,
    )
    module.add_arguments(parser)
    args = parser.parse_args(argv[1:])
    from evals.errors import HarnessError

    _sigterm_interrupts()
    try:
        return int(module.main(args))
    except HarnessError as exc:
        print(f"evals {name}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:  # a full disk or unwritable folder no stage anticipated
        from evals.store import _storage_error

        error = _storage_error(exc, exc.filename or ".")
        print(f"evals {name}: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print(f"evals {name}: interrupted", file=sys.stderr)
        return 130


def _sigterm_interrupts() -> None:
    """SIGTERM ends every command the way Ctrl-C does (exit 130, finished work kept)."""
    if threading.current_thread() is not threading.main_thread():
        return

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def entry() -> None:
    """The installed ``evals`` command: :func:`main`, and a prompt end when interrupted.

    An interrupted command has already kept what finished (results are fsynced as each sample
    ends). What may still be running is not worth waiting for: a grading thread cannot be
    cancelled, and Python would join it at exit. So every sandbox is killed and the process
    ends at once, with 130; the next run sweeps the scratch folders left behind.
    """
    code = main()
    if code == 130:
        from evals.execute.sandbox import stop_all

        stop_all()
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(130)
    raise SystemExit(code)
