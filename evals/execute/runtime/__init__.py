"""The code that runs inside the sandboxes (``evals_runtime/``), copied there per sample.

A package here only so that a wheel carries it and the harness can import the protocol both
sides share (``evals.execute.runtime.evals_runtime.protocol``); inside a sandbox it is the
top-level ``evals_runtime``.
"""
