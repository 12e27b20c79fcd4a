import hashlib
from pathlib import Path

import pytest

from evals.agent import parse_agent_file
from evals.config import DEFAULT_AGENT
from evals.errors import AgentFileError

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_0e7e1600e538fb69.txt"


def test_project_agent_file_parses_with_its_front_matter():
    agent = parse_agent_file(DEFAULT_AGENT)
    assert agent.name == "fastapi-backend-architect"
    assert agent.model == "sonnet"
    assert agent.color == "green"
    assert agent.tools is None
    assert agent.body.startswith("You are an elite FastAPI Backend Architect")
    assert "Context: User needs" in agent.description


# The seed's digest, so the check below also runs where shared/ is not beside the checkout
# (a skipped check here once let a stray `ruff format` rewrite the prompt unnoticed).
SEED_SHA256 = "a743a4cd520ffc0d8e4246c8ce220e27f0e1a63501b6579de40be99e28d73f47"


def test_project_agent_file_is_the_seed_verbatim():
    assert hashlib.sha256(DEFAULT_AGENT.read_bytes()).hexdigest() == SEED_SHA256
    if SEED.exists():
        assert DEFAULT_AGENT.read_bytes() == SEED.read_bytes()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "agent.md"
    path.write_text(text)
    return path


GOOD = "---\nname: my-agent\ndescription: does things\nmodel: sonnet\ntools: Read, Write\n---\nBody text.\n"


def test_tools_list_is_split_on_commas(tmp_path):
    agent = parse_agent_file(write(tmp_path, GOOD))
    assert agent.tools == ("Read", "Write")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("name: x\n---\nbody", "front matter must start with '---'"),
        ("---\nname: x\ndescription: d\nbody", "not closed"),
        ("---\ndescription: d\n---\nbody", "no 'name'"),
        ("---\nname: x\n---\nbody", "no 'description'"),
        ("---\nname: x\ndescription: d\n---\n\n   \n", "body (the system prompt) is empty"),
        ("---\nname: x\ndescription: d\nfoo: bar\n---\nbody", "unknown front-matter key 'foo'"),
        ("---\nname: x\nname: y\ndescription: d\n---\nbody", "duplicate key 'name'"),
        ("---\nname: x\n  continued line\ndescription: d\n---\nbody", "expected 'key: value'"),
        ("---\nname: Not Valid\ndescription: d\n---\nbody", "lowercase letters"),
        ("---\nname: x\ndescription: d\ntools: ,\n---\nbody", "lists no tool"),
    ],
)
def test_malformed_agent_file_gives_clear_error_naming_the_file(tmp_path, text, problem):
    path = write(tmp_path, text)
    with pytest.raises(AgentFileError) as info:
        parse_agent_file(path)
    assert problem in str(info.value)
    assert str(path) in str(info.value)


def test_missing_agent_file_is_an_agent_file_error(tmp_path):
    with pytest.raises(AgentFileError, match="not found"):
        parse_agent_file(tmp_path / "nope.md")
