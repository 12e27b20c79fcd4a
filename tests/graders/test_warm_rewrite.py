"""The warm server's caches of hidden tests: pytest's own code and trees, made once.

The server rewrites each hidden test module once (``precompile_tests``); its children hand
pytest that code relocated to their own copy (``use_rewritten_tests``). Whatever pytest
would have compiled itself is what the child must run, byte for byte. The server also parses
each module once for failure reports (``use_parsed_tests``): a report must read the same.
"""

from __future__ import annotations

import ast
import importlib.util
import shutil
import types
from pathlib import Path

import pytest
from _pytest._code import ExceptionInfo
from _pytest._code import code as pytest_code
from _pytest.assertion import rewrite

from evals.cases import load_case
from evals.config import DEFAULT_CASES
from evals.execute import RUNTIME_DIR


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """A private copy of the server module (its cache is module state)."""
    spec = importlib.util.spec_from_file_location(
        "warm_server_under_test", RUNTIME_DIR / "warm_server.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    # use_rewritten_tests patches pytest's module: put it back after each test.
    monkeypatch.setattr(rewrite, "_rewrite_test", rewrite._rewrite_test)
    monkeypatch.setattr(pytest_code, "getstatementrange_ast", pytest_code.getstatementrange_ast)
    return module


def hidden_tests(root: Path, case_id: str) -> Path:
    hidden = root / "hidden"
    for rel, content in load_case(DEFAULT_CASES / case_id).tests.items():
        target = hidden / "tests" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return hidden


def test_cached_rewrite_is_the_code_pytest_compiles_at_that_path(server, tmp_path, pytestconfig):
    hidden = hidden_tests(tmp_path, "user-registration")
    server.precompile_tests(str(hidden))
    modules = sorted((hidden / "tests").rglob("*.py"))
    assert len(server.REWRITE_CACHE) == len({p.read_bytes() for p in modules}) > 1
    for path in modules:
        key = importlib.util.source_hash(path.read_bytes())
        cached = server.relocate(server.REWRITE_CACHE[key], str(path))
        _, own = rewrite._rewrite_test(path, pytestconfig)
        # Code objects compare by bytecode, constants, names, line and exception tables;
        # the file name is checked apart (marshal bytes differ by interning flags only).
        assert cached == own, path.name
        assert [c.co_filename for c in _nested(cached)] == [c.co_filename for c in _nested(own)]


def test_a_child_gets_the_cached_code_relocated_to_its_own_copy(server, tmp_path, pytestconfig):
    first = hidden_tests(tmp_path / "job-1", "crud-pagination")
    server.precompile_tests(str(first))
    second = tmp_path / "job-2" / "hidden"
    shutil.copytree(first, second)
    own_rewrite = rewrite._rewrite_test
    server.use_rewritten_tests()
    assert rewrite._rewrite_test is not own_rewrite
    for path in sorted((second / "tests").rglob("*.py")):
        source_hash, code = rewrite._rewrite_test(path, pytestconfig)
        assert source_hash == importlib.util.source_hash(path.read_bytes())
        names = {c.co_filename for c in _nested(code)}
        assert names == {str(path)}, path.name  # never the first job's path


def test_a_module_the_cache_does_not_hold_is_rewritten_by_pytest(server, tmp_path, pytestconfig):
    path = tmp_path / "hidden" / "tests" / "test_new.py"
    path.parent.mkdir(parents=True)
    path.write_text("def test_one():\n    assert 1 + 1 == 2\n")
    server.use_rewritten_tests()
    _, code = rewrite._rewrite_test(path, pytestconfig)
    assert code.co_filename == str(path)
    assert not server.REWRITE_CACHE


def test_a_rewrite_that_warns_is_left_to_the_child(server, tmp_path):
    tests = tmp_path / "hidden" / "tests"
    tests.mkdir(parents=True)
    # An assert on a tuple is always true: pytest warns while rewriting it, and that warning
    # belongs in the sample's own run, so such a module is never served from the cache.
    (tests / "test_tuple.py").write_text("def test_t():\n    assert (1, 'never fails')\n")
    (tests / "test_fine.py").write_text("def test_f():\n    assert 1\n")
    server.precompile_tests(str(tmp_path / "hidden"))
    fine = importlib.util.source_hash((tests / "test_fine.py").read_bytes())
    assert set(server.REWRITE_CACHE) == {fine}


def test_a_failure_report_reads_the_same_from_the_tree_parsed_once(server, tmp_path, monkeypatch):
    hidden = hidden_tests(tmp_path, "crud-pagination")
    module = hidden / "tests" / "test_tasks.py"
    # A failing test deep in a real suite, a blank line and a comment after it (the report's
    # end of statement is found past them).
    module.write_text(module.read_text() + FAILING_TAIL)
    report = lambda: _failure_report(module, "short") + _failure_report(module, "long")  # noqa: E731
    own = report()
    # The long report shows the function down to the end of the failing statement: that end
    # is what the tree is parsed for.
    assert LONG_REPORT in own and "trailing comment" not in own

    server.precompile_tests(str(hidden))
    assert len(server.SOURCE_TREES) == 1
    server.use_parsed_tests()
    parses = []
    parse = ast.parse
    monkeypatch.setattr(ast, "parse", lambda *a, **k: parses.append(a) or parse(*a, **k))
    assert report() == own
    assert report() == own
    # Neither report parsed the module again (the long one parses the failing function alone,
    # to indent the exception under it).
    module_text = server.pytest_source_text(module.read_bytes())
    assert parses and not [args for args in parses if args[0] == module_text]
    assert len(server.SOURCE_TREES) == 1 and module_text in server.SOURCE_TREES


def test_a_module_changed_since_the_server_parsed_it_is_parsed_anew(server, tmp_path):
    hidden = hidden_tests(tmp_path, "crud-pagination")
    module = hidden / "tests" / "test_tasks.py"
    server.precompile_tests(str(hidden))
    server.use_parsed_tests()
    module.write_text("\n\n" + module.read_text() + FAILING_TAIL)  # every line moves down
    raising = module.read_text().splitlines().index("        raise AssertionError(")
    assert _failure_report(module, "short").splitlines() == [
        f"{module}:{raising + 1}: in test_evals_failing_tail",
        "    raise AssertionError(",
        "E   AssertionError: total was 3",
    ]
    assert LONG_REPORT in _failure_report(module, "long")


FAILING_TAIL = """

def test_evals_failing_tail():
    total = 3
    if total:
        raise AssertionError(
            f"total was {total}"
        )

# trailing comment
"""
LONG_REPORT = """def test_evals_failing_tail():
        total = 3
        if total:
>           raise AssertionError(
                f"total was {total}"
            )
E           AssertionError: total was 3
"""


def _failure_report(path: Path, style: str) -> str:
    spec = importlib.util.spec_from_file_location(f"mod_{abs(hash(path))}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    try:
        module.test_evals_failing_tail()
    except AssertionError:
        info = ExceptionInfo.from_current()
    info.traceback = info.traceback.cut(path=path)  # the module's frames only, as in a report
    return str(info.getrepr(style=style))


def _nested(code: types.CodeType) -> list[types.CodeType]:
    found = [code]
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            found += _nested(const)
    return found
