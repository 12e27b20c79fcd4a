"""The welcome e-mail: sent once, in the background, through the injectable sender."""

from __future__ import annotations

import ast
import json
import logging

import pytest
from conftest import SENDER_FAILURES, USERS_URL, WELCOME_SUBJECT, RecordingSender


def _registered(response, email):
    assert response.status_code == 201, (
        f"registering {email} must return 201, got {response.status_code}: {response.text[:300]}"
    )
    return response.json()["email"]


def _only_email(sender: RecordingSender, address: str):
    sent = sender.sent
    mails = [mail for mail in sent if mail.to == address]
    assert len(mails) == 1, (
        f"exactly one e-mail must go to {address} through the sender returned by "
        f"Depends(get_email_sender) (overridden in this test); got {len(mails)}. "
        f"All sends seen: {[(m.to, m.subject) for m in sent]}"
    )
    return mails[0]


@pytest.mark.rule("middleware")
@pytest.mark.requirement("one-email-per-registration", "to-exact-address", "sender-via-depends", "no-direct-sender")
def test_welcome_email_sent_once_to_registered_address(register, fake_sender, unique_email):
    email = unique_email("welcome")
    address = _registered(register(email), email)
    _only_email(fake_sender, address)
    sent = fake_sender.sent
    assert len(sent) == 1, (
        f"one registration must send exactly one e-mail in total, got "
        f"{[(m.to, m.subject) for m in sent]}"
    )


@pytest.mark.rule("middleware")
@pytest.mark.requirement("one-email-per-registration", "to-exact-address")
def test_each_registration_gets_its_own_email(register, fake_sender, unique_email):
    first = _registered(register(unique_email("first")), "first")
    second = _registered(register(unique_email("second")), "second")
    sent = fake_sender.sent
    assert sorted(m.to for m in sent) == sorted([first, second]), (
        f"two registrations must send one e-mail to each new address; got "
        f"{[m.to for m in sent]} for {[first, second]}"
    )


@pytest.mark.rule("middleware")
@pytest.mark.requirement("subject-exact")
def test_welcome_email_subject_is_exact(register, fake_sender, unique_email):
    email = unique_email("subject")
    address = _registered(register(email), email)
    mail = _only_email(fake_sender, address)
    assert mail.subject == WELCOME_SUBJECT, (
        f"the welcome e-mail subject must be exactly {WELCOME_SUBJECT!r}, got {mail.subject!r}"
    )


@pytest.mark.rule("middleware")
@pytest.mark.requirement("body-contains-address")
def test_welcome_email_body_mentions_the_address(register, fake_sender, unique_email):
    email = unique_email("body")
    address = _registered(register(email), email)
    mail = _only_email(fake_sender, address)
    assert isinstance(mail.body, str) and address in mail.body, (
        f"the welcome e-mail body must be text containing the address {address}; "
        f"got {mail.body!r:.300}"
    )


@pytest.mark.rule("security")
@pytest.mark.requirement("body-no-secret")
def test_welcome_email_never_contains_the_password(
    register, fake_sender, unique_email, strong_password, stored_hash
):
    email = unique_email("secret")
    password = strong_password()
    address = _registered(register(email, password), email)
    mail = _only_email(fake_sender, address)
    assert password not in mail.body and password not in mail.subject, (
        "the welcome e-mail must never contain the user's password"
    )
    hashed = stored_hash(address)
    assert hashed, f"the user {address} must be stored"
    assert hashed not in mail.body and hashed not in mail.subject, (
        "the welcome e-mail must not contain the password hash"
    )


@pytest.mark.rule("middleware", "errors")
@pytest.mark.requirement("no-email-on-failure")
def test_no_email_when_email_already_registered(register, fake_sender, unique_email):
    email = unique_email("again")
    address = _registered(register(email), email)
    fake_sender.clear()
    duplicate = register(email)
    assert duplicate.status_code == 409, (
        f"a duplicate registration must return 409, got {duplicate.status_code}"
    )
    sent = fake_sender.sent
    assert sent == [], (
        f"a rejected (409) registration must not send any e-mail; sent to "
        f"{[m.to for m in sent]} (existing account {address})"
    )


@pytest.mark.rule("middleware", "errors")
@pytest.mark.requirement("no-email-on-failure")
def test_no_email_when_payload_is_invalid(register, fake_sender, unique_email):
    short = register(unique_email("invalid"), "short")
    malformed = register("not-an-email", "long-enough-password")
    assert (short.status_code, malformed.status_code) == (422, 422), (
        f"invalid registrations must return 422, got {short.status_code} and "
        f"{malformed.status_code}"
    )
    sent = fake_sender.sent
    assert sent == [], (
        f"a rejected (422) registration must not send any e-mail, got {[m.to for m in sent]}"
    )


@pytest.mark.rule("middleware")
@pytest.mark.requirement("background-tasks", "no-own-threads")
def test_email_is_sent_after_the_response(observed_post, install_sender, unique_email):
    email = unique_email("order")
    install_sender("record")
    result = observed_post(USERS_URL, {"email": email, "password": "long-enough-password"})
    timeline = result.timeline
    assert result.error is None and result.status == 201, (
        f"registration must answer 201 without error, got {result.status}, {result.error!r}"
    )
    sends = [i for i, entry in enumerate(timeline) if entry[0] == "email"]
    assert len(sends) == 1, f"expected one e-mail, got timeline {timeline!r:.500}"
    before = timeline[: sends[0]]
    assert any(entry[0] == "response-start" for entry in before), (
        "the welcome e-mail was sent before the response started: it must run as a "
        "BackgroundTasks task, after the response is sent, not inside the request handler"
    )
    bodies = [entry[1] for entry in before if entry[0] == "response-body"]
    assert bodies, "the welcome e-mail was sent before the response body was sent"
    try:
        sent_body = json.loads(bodies[-1])
    except ValueError:
        sent_body = None
    assert isinstance(sent_body, dict) and sent_body.get("email") == email, (
        f"the complete JSON response must be sent before the e-mail; body sent so far: "
        f"{bodies[-1]!r:.300}"
    )


@pytest.mark.rule("database", "middleware")
@pytest.mark.requirement("after-commit")
def test_user_is_committed_before_email_is_sent(register, install_sender, unique_email):
    email = unique_email("committed")
    sender = install_sender("record")
    _registered(register(email), email)
    # The shim counts the committed rows for the recipient when send() is called.
    seen = [mail.committed_rows for mail in sender.to(email)]
    assert seen, f"no welcome e-mail was sent to {email}"
    assert seen[0] == 1, (
        "when the welcome e-mail is sent, the new user must already be committed to the "
        f"database (found {seen[0]} committed rows for {email} at send time"
        + (f"; {sender.to(email)[0].committed_error}" if seen[0] is None else "")
        + ")"
    )


@pytest.mark.rule("errors", "middleware")
@pytest.mark.requirement("sender-failure-isolated", "sender-error-caught-logged")
@pytest.mark.parametrize("error", SENDER_FAILURES)
def test_failing_sender_does_not_fail_registration(
    register, install_sender, unique_email, user_rows, error
):
    install_sender("fail", error)  # its send() raises error("mail server unreachable")
    email = unique_email("failing")
    response = register(email)
    assert response.status_code == 201, (
        f"a sender that raises must not change the registration's outcome: expected 201, "
        f"got {response.status_code}: {response.text[:300]}"
    )
    assert user_rows(email) == 1, (
        "the user must stay registered when sending the welcome e-mail fails"
    )
    again = register(email)
    assert again.status_code == 409, (
        f"the account must exist after a failed e-mail (re-registering: 409), got "
        f"{again.status_code}"
    )


@pytest.mark.rule("errors", "middleware")
@pytest.mark.requirement("sender-error-caught-logged")
@pytest.mark.parametrize("error", SENDER_FAILURES)
def test_sender_error_is_caught_and_logged(
    observed_post, install_sender, unique_email, evals, error
):
    install_sender("fail", error)  # its send() raises error("mail server unreachable")
    email = unique_email("logged")
    result = observed_post(USERS_URL, {"email": email, "password": "long-enough-password"})
    assert result.status == 201, f"registration must answer 201, got {result.status}"
    assert result.error is None, (
        "an exception from the e-mail sender escaped the application "
        f"({result.error}); the background task must catch it and log it"
    )
    # Records of every logger at INFO and above, the 'app.email' logger set to INFO.
    records = evals.logs()
    errors = [
        record
        for record in records
        if (record["name"] == "app.email" or record["name"].startswith("app.email."))
        and record["levelno"] >= logging.ERROR
    ]
    assert errors, (
        "a failed send must be logged at ERROR level on the 'app.email' logger; records "
        f"seen: {[(r['name'], r['levelname'], r['message'][:80]) for r in records]}"
    )


@pytest.mark.rule("middleware")
@pytest.mark.requirement("default-sender-no-network", "default-sender-logs", "get-email-sender")
def test_default_sender_logs_without_network(evals, unique_email):
    address = unique_email("default")
    # The shim calls the app's own get_email_sender() (no override), then
    # sender.send(to=..., subject=..., body=...) with network connections refused, and
    # returns the log records written meanwhile ('app.email' set to INFO).
    result = evals.default_send(to=address, subject=WELCOME_SUBJECT, body="Hello there")
    assert result["has_send"], (
        f"get_email_sender() must return an object with a send() method, got {result['sender']}"
    )
    assert not result["network_attempts"], (
        "the default e-mail sender tried to open a network connection: "
        f"{result['network_attempts']}"
    )
    assert result["error"] is None, f"the default sender's send() raised {result['error']}"
    messages = [
        record["message"]
        for record in result["logs"]
        if record["name"] == "app.email" and record["levelno"] == logging.INFO
    ]
    assert len(messages) == 1 and address in messages[0] and WELCOME_SUBJECT in messages[0], (
        "the default sender's send() must log exactly one INFO record on the 'app.email' "
        f"logger naming the recipient and the subject; INFO records seen there: {messages}"
    )


@pytest.mark.rule("middleware")
@pytest.mark.requirement("get-email-sender")
def test_get_email_sender_is_a_plain_function_without_parameters(evals, unique_email):
    result = evals.default_send(to=unique_email("plain"), subject=WELCOME_SUBJECT, body="Hello")
    assert result["dependency_is_async"] is False, (
        "get_email_sender() must be a plain (not async) function"
    )
    assert result["dependency_params"] == [], (
        f"get_email_sender() must take no parameters, got {result['dependency_params']}"
    )
    assert result["has_send"] and result.get("send_is_async") is False, (
        f"the sender's send() must be a plain (synchronous) method, got {result['sender']}"
    )


@pytest.mark.rule("middleware")
@pytest.mark.requirement("to-exact-address", "body-contains-address", "one-email-per-registration")
def test_recipient_is_the_address_as_returned(register, fake_sender, unique_email):
    base = unique_email("shape").split("@")[0]
    for email in (
        f"Mixed.{base.upper()}@Example.COM",
        f"{base}+welcome@mail.example.org",
        f"O'Neil.{base}@example.com",
    ):
        address = _registered(register(email), email)
        mail = _only_email(fake_sender, address)
        assert mail.to == address, f"to must be {address!r} exactly, got {mail.to!r}"
        assert isinstance(mail.body, str) and address in mail.body, (
            f"the body must contain the registered address {address!r}; got {mail.body!r:.300}"
        )


@pytest.mark.rule("middleware")
@pytest.mark.requirement(
    "default-sender-logs", "default-sender-no-network", "one-email-per-registration"
)
def test_registration_with_default_sender_logs_the_welcome(register, evals, unique_email):
    evals.use_sender("default")
    evals.reset()
    email = unique_email("dflt")
    address = _registered(register(email), email)
    records = [
        r
        for r in evals.logs()
        if r["name"] == "app.email" and r["levelno"] == logging.INFO and address in r["message"]
    ]
    assert len(records) == 1 and WELCOME_SUBJECT in records[0]["message"], (
        "a registration served by the default sender must log its welcome e-mail once, at "
        f"INFO on 'app.email', with the address and subject; got {records}"
    )


@pytest.mark.rule("docs")
@pytest.mark.requirement("openapi-description")
def test_openapi_description_documents_the_email(openapi):
    operation = openapi.get("paths", {}).get(USERS_URL, {}).get("post", {})
    description = str(operation.get("description") or "")
    new_text = description.replace("Register a new user with email and password.", "")
    assert "mail" in new_text.lower(), (
        f"the endpoint's OpenAPI description must document the welcome e-mail; got {description!r}"
    )


OWN_CONCURRENCY = {"Thread", "create_task", "ensure_future", "start_new_thread", "Timer"}


@pytest.mark.rule("middleware")
@pytest.mark.requirement("no-own-threads", "background-tasks")
def test_no_threads_or_tasks_of_its_own(source):
    found = []
    for path in source.python_files():
        try:
            tree = ast.parse(source.text(path) or "")
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in OWN_CONCURRENCY:
                    found.append(f"{path}:{node.lineno} {name}(...)")
    assert not found, (
        "queue the e-mail with BackgroundTasks; do not start threads or asyncio tasks of "
        f"your own: {found}"
    )
