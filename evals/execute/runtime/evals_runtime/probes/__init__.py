"""Reusable security probes the hidden suites call (SQL injection, access control, JWT
forgery, password storage, path traversal, oversized bodies, leaked tracebacks).

Each probe takes a ``TestClient`` (and whatever it needs) and returns findings or raises
``AssertionError`` with a message a prompt engineer can act on.
"""
