"""Harness-owned code that runs *inside* the grading sandbox, next to the generated app.

This folder is copied (never imported from the harness checkout) into each sample's grading
directory, so it must depend only on the generated-app environment: pytest, fastapi, httpx,
pyjwt, sqlite3. It never imports :mod:`evals`.
"""
