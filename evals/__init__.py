"""evals: the evaluation harness for a FastAPI backend-architect agent prompt.

Pipeline: agent file + cases -> solve (provider + tools) -> workspace -> grade -> score ->
report / gate. Heavy imports (pandas, datasets, anthropic) stay inside the stages that use
them so ``evals --help`` stays fast.
"""

__version__ = "0.1.0"
