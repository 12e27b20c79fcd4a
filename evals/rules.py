"""The vocabulary of prompt responsibilities that tests and findings are tagged with.

Each rule names a section of the agent file, so a score broken down by rule tells the prompt
engineer which part of the prompt an edit helped or hurt.
"""

from __future__ import annotations

RULES: dict[str, str] = {
    "api-design": "1. API Design & Implementation: resources, methods, status codes, routers",
    "schemas": "2. Pydantic Schema Management: request/response models, validators, variants",
    "errors": "3. Validation & Error Handling: 422s, consistent error format, handlers",
    "auth": "4. Authentication & Authorization: OAuth2/JWT, RBAC, permission checks",
    "database": "5. Database Integration: sessions, repositories, transactions",
    "middleware": "6. Dependency Injection & Middleware: dependencies, CORS, timing, tasks",
    "docs": "7. API Documentation & Versioning: OpenAPI, tags, summaries, /api/v1, /api/v2",
    "security": "QA checklist: no sensitive data leaked, password hashing, injection",
    "structure": "Code Standards: file structure, naming conventions, required patterns",
}


def unknown_rules(names: list[str] | tuple[str, ...]) -> list[str]:
    """The names that are not in the vocabulary, in their original order."""
    return [name for name in names if name not in RULES]
