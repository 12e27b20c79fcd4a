"""``make bench``: grading and harness performance figures, measured on this machine.

``python -m evals.bench`` grades the whole reference suite in both grader modes (per-sample
milliseconds, the warm/fresh speed-up, 1-vs-N-worker scaling, the verdict diff, which must
be empty), times ``evals --help`` and measures the harness's overhead on generation against
a fake Messages API. The goals it reports are targets, not assertions: the exit status is
non-zero only when the verdicts of the two modes differ.
"""
