"""Fixtures for tests that talk to the fake Messages API."""

from fakes.fixtures import fake_api

__all__ = ["fake_api"]
