from evals.cli import entry

entry()
