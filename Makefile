# Every target bootstraps .venv on first use; nothing needs installing by hand.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
EVALS  := $(BIN)/evals
BASELINE := reports/baseline

.PHONY: help venv eval test validate mutation lint format bench power gate baseline report clean

help:
	@echo "make eval      run the suite (Anthropic API when ANTHROPIC_API_KEY is set, else offline)"
	@echo "make test      the harness's tests, ruff, mypy, and 'evals validate' on the golden suite"
	@echo "make gate      run the current agent file and compare with the recorded baseline"
	@echo "make baseline  record the current agent's run as the new baseline"
	@echo "make bench     grading and harness performance figures"
	@echo "make power     the gate's false-alarm rate and power on simulated agent runs"
	@echo "make validate  prove the golden suite (references pass, mutants fail)"
	@echo "make mutation  mutation-test the hidden suites (MUTATION_FLAGS=\"--case ID\" for one)"

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[claude-code]'
	@touch $(STAMP)

eval: $(STAMP)
	$(EVALS) run $(EVAL_FLAGS)

validate: $(STAMP)
	$(EVALS) validate

# Generated single-fault mutants of every reference, each graded by its hidden suite: the
# mutation score and every survivor (several minutes for the whole suite).
mutation: $(STAMP)
	$(EVALS) validate --mutation $(MUTATION_FLAGS)

lint: $(STAMP)
	$(BIN)/ruff check evals graders tests
	$(BIN)/ruff format --check evals graders tests
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format evals graders tests
	$(BIN)/ruff check --fix evals graders tests

# The tests run on every core (at most 4 processes), except the containment checks that are
# timed or need the next lease of a uid (-m serial), which run alone afterwards: another
# test's load or lease would change what they measure.
test: $(STAMP) lint
	$(BIN)/python -m pytest -q -n auto --maxprocesses 4 --dist worksteal -m "not serial" $(PYTEST_FLAGS)
	$(BIN)/python -m pytest -q -m serial $(PYTEST_FLAGS)
	$(EVALS) validate

bench: $(STAMP)
	$(BIN)/python -m evals.bench

# The gate on seeded synthetic agent runs shaped like the suite: no-op false alarms and power
# per sample count (POWER_FLAGS="--runs 1000 --samples 1,5,17" to change it).
power: $(STAMP)
	$(BIN)/python -m evals.simulate $(POWER_FLAGS)

gate: $(STAMP)
	@run=$$($(EVALS) run -q --gate-baseline $(BASELINE) $(EVAL_FLAGS) | tail -n 1) && \
	  test -d "$$run" && $(EVALS) gate --baseline $(BASELINE) --candidate "$$run" $(GATE_FLAGS)

baseline: $(STAMP)
	@run=$$($(EVALS) run -q $(EVAL_FLAGS) | tail -n 1) && \
	  $(EVALS) gate --record-baseline "$$run" --out $(BASELINE)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
