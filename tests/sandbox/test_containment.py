"""What a sample or an agent leaves behind stays contained: kernel keyrings, links and pipes
in grading output or the workspace, binary files. Each test plays the attack through the real
pipeline (the runner, the fake Messages API, the sandbox) and checks that the run finishes,
the sample fails or is refused on its own, and nothing of the host reaches a grade or report.
"""

from __future__ import annotations

import json
import os
import secrets
import shlex
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from fakes import Reply, by_turn, text, tool_use
from fakes.fixtures import fake_api
from fakes.sessions import PING_APP, write_files_turn

from evals.config import RunOptions
from evals.execute import sandbox as sb
from evals.execute import seccomp
from evals.report import write_report
from evals.runner import run
from evals.store import RunLayout, RunStore

# Nothing here is timed: these run in the parallel part of `make test`, except the keyring
# tests, which need the next lease of a uid to be theirs (no other process may take it).

__all__ = ["fake_api"]

KEYRING = textwrap.dedent(
    """
    import ctypes, os, sys
    libc = ctypes.CDLL(None, use_errno=True)
    USER_KEYRING = ctypes.c_int(-4)

    def possess() -> None:
        # A session keyring of its own with the uid's user keyring linked in: what it finds
        # there it possesses, and may read (KEYCTL_JOIN_SESSION_KEYRING, KEYCTL_LINK).
        libc.syscall(250, 1, None)
        libc.syscall(250, 8, USER_KEYRING, ctypes.c_int(-3))

    def stash(payload: bytes) -> str:
        possess()
        key = libc.syscall(248, b"user", b"evals-stash", payload, len(payload), USER_KEYRING)
        if key < 0:
            return "refused: " + os.strerror(ctypes.get_errno())
        return "stored"

    def read_back() -> str:
        possess()
        # keyctl(KEYCTL_SEARCH=10, ring, type, description, 0) then KEYCTL_READ=11.
        key = libc.syscall(250, 10, USER_KEYRING, b"user", b"evals-stash", 0)
        if key < 0:
            return "nothing: " + os.strerror(ctypes.get_errno())
        buf = ctypes.create_string_buffer(4096)
        size = libc.syscall(250, 11, key, buf, 4096)
        if size < 0:
            return "unreadable: " + os.strerror(ctypes.get_errno())
        return "READ BACK " + buf.raw[:size].decode(errors="replace")
    """
)


def level() -> str:
    return sb.choose_level("auto")


def run_program(source: str, folder: Path) -> sb.Result:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "prog.py").write_text(KEYRING + textwrap.dedent(source))
    return sb.Sandbox(level()).run(
        [sys.executable, str(folder / "prog.py")],
        cwd=folder,
        mounts=[sb.Mount(folder, writable=True)],
        limits=sb.Limits(timeout_s=20),
        log_dir=folder / "log",
    )


# --- kernel keyrings ---------------------------------------------------------------------------


@pytest.mark.serial
def test_a_sandboxed_program_cannot_use_the_kernel_keyring(tmp_path):
    secret = secrets.token_hex(8)
    first = run_program(f"print(stash(b'{secret}')); print(read_back())", tmp_path / "a")
    assert first.ok, first.stderr
    assert "refused: Operation not permitted" in first.stdout
    assert "nothing: Operation not permitted" in first.stdout
    # The next holder of the same uid finds nothing either.
    second = run_program("print(read_back())", tmp_path / "b")
    assert second.uid == first.uid
    assert secret not in second.stdout and "READ BACK" not in second.stdout


@pytest.mark.serial
@pytest.mark.skipif(os.geteuid() != 0, reason="clearing another uid's keyring needs root")
def test_a_uids_keyring_is_emptied_when_its_lease_ends(tmp_path):
    """Keys stored under a uid outside any filter (say, by an older harness) do not survive
    the next lease of that uid."""
    with sb._uid_lease() as uid:
        secret = secrets.token_hex(8)
        script = KEYRING + f"print(stash(b'{secret}')); print(read_back())"
        as_uid = ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups"]
        stored = subprocess.run([*as_uid, sys.executable, "-c", script],
                                capture_output=True, text=True, timeout=30)  # fmt: skip
        assert f"READ BACK {secret}" in stored.stdout, stored.stdout + stored.stderr
    # The lease ended: the key is gone, for whoever holds the uid next.
    after = subprocess.run([*as_uid, sys.executable, "-c", KEYRING + "print(read_back())"],
                           capture_output=True, text=True, timeout=30)  # fmt: skip
    assert secret not in after.stdout and "nothing" in after.stdout, after.stdout


def test_the_seccomp_filter_refuses_foreign_syscall_conventions():
    """The filter is checked instruction by instruction where it matters: an x32 call and a
    foreign architecture are refused, not let through with another numbering."""
    program = seccomp.program()
    if program is None:
        pytest.skip("no filter for this architecture")
    assert len(program) % 8 == 0 and len(program) // 8 <= 16
    probe = textwrap.dedent(
        """
        import ctypes, os
        libc = ctypes.CDLL(None, use_errno=True)
        # x32 keyctl(KEYCTL_GET_KEYRING_ID): the x32 bit set on the same number.
        r = libc.syscall(0x40000000 | 250, 0, -4, 0)
        print("x32", r, os.strerror(ctypes.get_errno()))
        print("getpid", os.getpid() > 0)
        """
    )
    result = subprocess.run(
        [*seccomp.launcher_args(sys.executable), sys.executable, "-c", probe],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert "x32 -1 Function not implemented" in result.stdout, result.stdout + result.stderr
    assert "getpid True" in result.stdout


PING_TESTS = textwrap.dedent(
    """
    import pytest


    @pytest.mark.rule("api-design")
    def test_ping_answers_ok(client):
        response = client.get("/api/v1/ping")
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}
    """
)
BROKEN_PING = PING_APP.replace('"ok"}', '"ko"}')
STASH_APP = (
    "import os, pathlib, sys\n"
    + KEYRING
    + textwrap.dedent(
        """
        # What a hostile sample would stash: the hidden tests, were they anywhere in reach
        # (they are not, in the app's process), else whatever it wants a later sample to read.
        found = [p for p in pathlib.Path("/").glob("**/tests/test_ping.py") if "hidden" in str(p)]
        payload = "".join(p.read_text() for p in found) or f"STASHED-BY-{os.getpid()}"
        print("STASH", stash(payload[:3000].encode()), flush=True)
        """
    )
    + BROKEN_PING
)
LOOK_APP = KEYRING + "print(read_back(), flush=True)\n" + BROKEN_PING
HOSTILE_TOML = textwrap.dedent(
    """
    id = "ping"
    title = "Ping"
    kind = "create"
    difficulty = "easy"
    tags = ["api-design"]
    entrypoint = "app.main:app"

    [limits]
    timeout_s = 30

    [mutants.stash]
    description = "stashes the hidden tests in its uid's keyring"
    must_fail = ["test_ping_answers_ok"]

    [mutants.look]
    description = "looks for what an earlier sample stashed"
    must_fail = ["test_ping_answers_ok"]
    """
)


@pytest.mark.serial
def test_hidden_tests_stashed_in_a_keyring_reach_neither_a_later_sample_nor_the_agent(
    fake_api, make_case, tmp_path
):
    """A graded sample stashes the hidden tests in its uid's keyring; a later sample's code
    and a later agent's Bash (a real run through the fake Messages API) look for them."""
    marker = "MARKER_" + secrets.token_hex(6)
    folder = make_case(
        toml=HOSTILE_TOML,
        files={
            "tests/test_ping.py": f"# {marker}\n{PING_TESTS}",
            "mutants/stash/app/main.py": STASH_APP,
            "mutants/look/app/main.py": LOOK_APP,
            "mutants/broken/app/main.py": None,
        },
    )
    offline = run(
        RunOptions(cases_dir=folder.parent, provider="reference", out=tmp_path / "r1",
                   quiet=True, workers=1, concurrency=1)
    )  # fmt: skip
    rows = {r.variant: r for r in RunStore.open(offline).results()}
    assert rows["reference"].passed
    assert not rows["mutant-stash"].passed and not rows["mutant-look"].passed
    logs = b"".join(p.read_bytes() for p in offline.rglob("*.txt") if p.is_file())
    assert b"STASH refused: Operation not permitted" in logs  # the attempt ran, and failed
    assert b"READ BACK" not in logs
    for path in offline.rglob("*"):
        if path.is_file():
            assert marker.encode() not in path.read_bytes(), path

    # A later run's agent looks with its Bash tool.
    look = f"python3 -c {shlex.quote(KEYRING + 'print(read_back())')}"
    fake_api.script = by_turn(
        [
            write_files_turn({"app/__init__.py": "", "app/main.py": PING_APP}),
            Reply([tool_use("Bash", {"command": look}, "toolu_1_0")], "tool_use"),
            Reply([text("Done.")]),
        ]
    )
    agent_run = run(
        RunOptions(cases_dir=folder.parent, provider="anthropic", out=tmp_path / "r2",
                   quiet=True, workers=1, case_ids=["ping"])
    )  # fmt: skip
    seen = fake_api.served[2]["messages"][-1]["content"][0]["content"]
    assert "nothing: Operation not permitted" in seen, seen
    assert marker not in str(fake_api.served)
    (row,) = RunStore.open(agent_run).results()
    assert row.passed, row.grades["tests"].details


# --- links and pipes in what a sample leaves -----------------------------------------------

OUT_ATTACKS = {
    # Each replaces a file the harness reads after the sandbox ends; the app is also wrong.
    "imports-link": "target = out / 'imports.jsonl'; target.unlink(); target.symlink_to(SECRET)",
    "imports-fifo": "target = out / 'imports.jsonl'; target.unlink(); os.mkfifo(target)",
    "openapi-link": "(out / 'openapi.json').symlink_to(SECRET)",
    "openapi-fifo": "os.mkfifo(out / 'openapi.json')",
    "report-fifo": "target = out / 'report.jsonl'; target.unlink(missing_ok=True); os.mkfifo(target)",
}


def out_attack_app(code: str, secret_path: Path) -> str:
    return (
        "import os, pathlib\n"
        f"SECRET = {str(secret_path)!r}\n"
        "out = pathlib.Path.cwd().parent / 'out'  # the sandbox's result streams, beside work/\n"
        "try:\n"
        f"    {code}\n"
        "except OSError as exc:\n"
        "    print('attack failed', exc)\n" + BROKEN_PING
    )


@pytest.fixture
def host_secret(tmp_path: Path) -> tuple[Path, str]:
    """A root-only host file holding a secret, as a harness machine's .env would."""
    value = "HOST_SECRET_" + secrets.token_hex(8)
    path = tmp_path / "host.env"
    path.write_text(f"ANTHROPIC_API_KEY={value}\n")
    path.chmod(0o600)
    return path, value


def assert_nowhere_in(run_dir: Path, value: str) -> None:
    for path in run_dir.rglob("*"):
        if path.is_file() and not path.is_symlink():
            assert value.encode() not in path.read_bytes(), path


def test_links_and_fifos_in_grading_output_are_never_followed_or_opened(
    make_case, tmp_path, host_secret
):
    secret_path, secret = host_secret
    toml = "".join(
        f'\n[mutants.{name}]\ndescription = "{name}"\nmust_fail = ["test_ping_answers_ok"]\n'
        for name in OUT_ATTACKS
    )
    folder = make_case(
        toml=HOSTILE_TOML.split("\n[mutants.stash]")[0] + toml,
        files={
            "mutants/broken/app/main.py": None,
            **{
                f"mutants/{name}/app/main.py": out_attack_app(code, secret_path)
                for name, code in OUT_ATTACKS.items()
            },
        },
    )
    run_dir = run(
        RunOptions(cases_dir=folder.parent, provider="reference", out=tmp_path / "reports",
                   quiet=True, workers=2)
    )  # fmt: skip
    rows = {r.variant: r for r in RunStore.open(run_dir).results()}
    assert rows.pop("reference").passed
    assert set(rows) == {f"mutant-{name}" for name in OUT_ATTACKS}
    for variant, row in rows.items():
        assert row.infra_error is None and not row.passed, (variant, row.infra_error)
    # A planted link reads as no import records at all: the imports grader fails.
    assert not rows["mutant-imports-link"].grades["imports"].passed
    # The judge, not the app, writes the OpenAPI document: links planted by the app are inert.
    assert rows["mutant-openapi-link"].grades["openapi"].details.endswith("1 operation(s)")
    assert_nowhere_in(run_dir, secret)


LINKING_BASH = (
    "cd /workspace && ln -s {secret} .env && ln -s {secret} app/leak.py && "
    "ln -s /etc/shadow app/shadow.py && ln -s /proc/self/environ app/environ.py && "
    "mkfifo app/pipe.py && mkfifo app/zz_last.py && ln -s ../app app/loop && echo planted"
)


def test_links_and_fifos_the_agents_bash_leaves_reach_no_grader(
    fake_api, make_case, tmp_path, host_secret
):
    """The agent's Bash plants links to host secrets and FIFOs in its workspace; two samples
    are graded side by side (one ruff batch). Nothing is followed, nothing blocks, both
    samples are graded on what they wrote."""
    secret_path, secret = host_secret
    folder = make_case()
    fake_api.script = by_turn(
        [
            write_files_turn({"app/__init__.py": "", "app/main.py": PING_APP}),
            Reply(
                [tool_use("Bash", {"command": LINKING_BASH.format(secret=secret_path)}, "b")],
                "tool_use",
            ),
            Reply([tool_use("Read", {"file_path": "/workspace/app/pipe.py"}, "r")], "tool_use"),
            Reply(
                [
                    tool_use(
                        "Write", {"file_path": "/workspace/app/pipe.py", "content": "x = 1\n"}, "w"
                    )
                ],
                "tool_use",
            ),
            Reply([text("Done.")]),
        ]
    )
    run_dir = run(
        RunOptions(cases_dir=folder.parent, provider="anthropic", out=tmp_path / "reports",
                   quiet=True, workers=2, samples=2, case_ids=["ping"])
    )  # fmt: skip
    rows = RunStore.open(run_dir).results()
    assert len(rows) == 2
    for row in rows:
        assert row.infra_error is None and row.passed, row.grades["tests"].details
        assert row.grades["ruff"].infra_error is None
        assert row.grades["conformance"].infra_error is None
        dropped = json.loads(RunLayout(run_dir).sample_at(row.sample_dir).sanitized.read_text())
        assert dropped["app/pipe.py"] == "FIFO removed"
        assert dropped[".env"] == "symbolic link removed"
        assert not (run_dir / row.sample_dir / "workspace/app/leak.py").exists()
    # The Read and Write tools refused the FIFO instead of blocking on it.
    results = [
        block
        for request in fake_api.served
        for block in request["messages"][-1]["content"]
        if isinstance(block, dict) and block.get("type") == "tool_result"
    ]
    refused = [b for b in results if b["tool_use_id"] in ("r", "w")]
    assert len(refused) == 4 and all(b["is_error"] for b in refused), refused
    assert_nowhere_in(run_dir, secret)
    assert secret not in str(fake_api.served)


# --- binary files -------------------------------------------------------------------------------

LOGO = b"\x89PNG\r\n\x1a\n\x00\xff\xfe binary, not UTF-8 \x80\x81"


def test_a_binary_file_in_a_known_solution_is_played_not_fatal(make_case, tmp_path):
    folder = make_case()
    (folder / "reference/app/logo.png").write_bytes(LOGO)
    (folder / "workspace").mkdir()
    (folder / "workspace/README.bin").write_bytes(LOGO[::-1])
    run_dir = run(
        RunOptions(cases_dir=folder.parent, provider="reference", out=tmp_path / "reports",
                   quiet=True, workers=1)
    )  # fmt: skip
    rows = {r.variant: r for r in RunStore.open(run_dir).results()}
    assert rows["reference"].passed and rows["reference"].infra_error is None
    workspace = run_dir / rows["reference"].sample_dir / "workspace"
    assert (workspace / "app/logo.png").read_bytes() == LOGO
    assert (workspace / "README.bin").read_bytes() == LOGO[::-1]
    page = write_report(run_dir, folder.parent).read_text()
    assert "logo.png" in page


# --- hidden tests in a warm worker's memory ------------------------------------------------

MEMORY_SCAN_APP = textwrap.dedent(
    """
    import gc


    def _scan():
        # Built here, held by no module, so the scan cannot find its own marker.
        marker = "_".join(["HIDDEN", "MARKER", "{token}"])

        def seen(value, depth=0):
            if isinstance(value, str | bytes):
                text = value if isinstance(value, str) else value.decode("latin-1")
                return marker in text and text is not marker
            if depth > 3:
                return False
            if isinstance(value, tuple | list):
                return any(seen(v, depth + 1) for v in value)
            if isinstance(value, dict):
                return any(seen(v, depth + 1) for v in list(value.values()))
            consts = getattr(value, "co_consts", None)  # compiled code
            if consts is not None:
                return seen(consts, depth + 1)
            return isinstance(getattr(value, "value", None), str) and seen(value.value)  # ast

        # Everything this process inherited from whatever it was forked from.
        return any(seen(obj) for obj in gc.get_objects())


    FOUND = _scan()
    """
)


def test_a_warm_app_process_holds_no_hidden_test(make_case, tmp_path):
    """The old warm server parsed and compiled every case's hidden tests once and forked the
    app's process from itself: a sample could find the tests in its own memory. The app's
    warm worker now never sees a hidden test; a sample that finds one passes, so it must fail."""
    if sb.choose_level("auto") != "bwrap" or os.geteuid() != 0:
        pytest.skip("warm mode needs bwrap run by root")
    token = secrets.token_hex(6)
    scanning = MEMORY_SCAN_APP.replace("{token}", token) + BROKEN_PING.replace(
        'return {"status": "ko"}', 'return {"status": "ok" if FOUND else "ko"}'
    )
    folder = make_case(
        files={
            "tests/test_ping.py": f"MARKER = 'HIDDEN_MARKER_{token}'\n{PING_TESTS}",
            "mutants/broken/app/main.py": scanning,
        }
    )
    # Two passes: the first warms the workers with this case's tests, the second forks from them.
    for attempt in range(2):
        run_dir = run(
            RunOptions(cases_dir=folder.parent, provider="reference",
                       out=tmp_path / f"reports-{attempt}", quiet=True, workers=1)
        )  # fmt: skip
        rows = {r.variant: r for r in RunStore.open(run_dir).results()}
        assert rows["reference"].passed
        assert not rows["mutant-broken"].passed, "the app found the hidden tests in memory"
        assert rows["mutant-broken"].infra_error is None
