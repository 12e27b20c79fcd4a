"""The refactor's target layout (tagged ``structure``).

Files are written over the starting workspace and nothing is deleted, so these tests look at
what the running application actually uses, not at which files exist.
"""

from __future__ import annotations

import importlib
import inspect
import os

import pytest

MODULES = [
    "app.core.config",
    "app.core.database",
    "app.models.user",
    "app.models.item",
    "app.schemas.user",
    "app.schemas.item",
    "app.api.v1.router",
    "app.api.v1.endpoints.users",
    "app.api.v1.endpoints.items",
]
ENDPOINTS = {
    "app.api.v1.endpoints.users": (
        "/users",
        ["users"],
        {
            ("POST", "/users"),
            ("GET", "/users"),
            ("GET", "/users/{user_id}"),
            ("GET", "/users/{user_id}/items"),
        },
    ),
    "app.api.v1.endpoints.items": (
        "/items",
        ["items"],
        {
            ("POST", "/items"),
            ("GET", "/items"),
            ("GET", "/items/{item_id}"),
            ("PATCH", "/items/{item_id}"),
            ("DELETE", "/items/{item_id}"),
        },
    ),
}
HANDLER_NAMES = {
    "create_user",
    "list_users",
    "get_user",
    "list_user_items",
    "create_item",
    "list_items",
    "get_item",
    "update_item",
    "delete_item",
}
CLASSES = {
    "app.core.config": ["Settings"],
    "app.models.user": ["User"],
    "app.models.item": ["Item"],
    "app.schemas.user": ["UserCreate", "UserResponse"],
    "app.schemas.item": ["ItemCreate", "ItemUpdate", "ItemResponse"],
}


def _module(name):
    try:
        return importlib.import_module(name)
    except Exception as exc:
        pytest.fail(f"module {name} must exist and import cleanly: {exc!r}")


def _operations(routes):
    """``(method, path, handler)`` of every API operation in ``routes``.

    FastAPI 0.165 keeps included routers as lazy ``_IncludedRouter`` entries in
    ``app.routes``; ``iter_route_contexts`` flattens them into the effective routes.
    """
    from fastapi.routing import APIRoute

    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # older FastAPI: included routes are copied into app.routes
        flat = [(route, route) for route in routes]
    else:
        flat = [(context.original_route, context) for context in iter_route_contexts(routes)]
    return {
        (method, route.path, route.endpoint)
        for original, route in flat
        if isinstance(original, APIRoute)
        for method in route.methods
    }


@pytest.mark.rule("structure")
def test_layout_modules_import(app):
    problems = []
    for name in MODULES:
        try:
            importlib.import_module(name)
        except Exception as exc:
            problems.append(f"{name}: {exc!r}")
    assert not problems, f"the target layout's modules must exist and import: {problems}"


@pytest.mark.rule("structure", "schemas")
def test_classes_live_in_their_modules(app):
    misplaced = []
    for module_name, class_names in CLASSES.items():
        module = _module(module_name)
        for class_name in class_names:
            obj = getattr(module, class_name, None)
            if not inspect.isclass(obj) or obj.__module__ != module_name:
                where = getattr(obj, "__module__", "nowhere")
                misplaced.append(f"{class_name} must be defined in {module_name} (found: {where})")
    assert not misplaced, "; ".join(misplaced)
    config = _module("app.core.config")
    settings = getattr(config, "settings", None)
    assert isinstance(settings, config.Settings), (
        "app.core.config must expose the Settings instance as `settings`"
    )
    assert settings.database_url == os.environ["DATABASE_URL"], (
        "settings.database_url must still come from the DATABASE_URL environment variable"
    )
    database = _module("app.core.database")
    assert callable(getattr(database, "get_db", None)), (
        "app.core.database must define the get_db session dependency"
    )


@pytest.mark.rule("structure", "api-design")
def test_endpoint_modules_define_tagged_routers(app):
    from fastapi import APIRouter

    for module_name, (prefix, tags, operations) in ENDPOINTS.items():
        router = getattr(_module(module_name), "router", None)
        assert isinstance(router, APIRouter), f"{module_name} must define `router = APIRouter(...)`"
        assert router.prefix == prefix, (
            f"{module_name}.router must have prefix={prefix!r}, got {router.prefix!r}"
        )
        assert list(router.tags) == tags, (
            f"{module_name}.router must have tags={tags}, got {router.tags}"
        )
        found = {(method, path) for method, path, _ in _operations(router.routes)}
        assert found == operations, (
            f"{module_name}.router must hold exactly the operations {sorted(operations)}, got "
            f"{sorted(found)}"
        )
        strays = {e.__module__ for _, _, e in _operations(router.routes)} - {module_name}
        assert not strays, (
            f"{module_name}.router's handlers must be defined in that module: {strays}"
        )


@pytest.mark.rule("structure")
def test_api_router_includes_endpoint_routers(app):
    from fastapi import APIRouter

    api_router = getattr(_module("app.api.v1.router"), "api_router", None)
    assert isinstance(api_router, APIRouter), (
        "app/api/v1/router.py must define `api_router = APIRouter(...)`"
    )
    included = {endpoint for _, _, endpoint in _operations(api_router.routes)}
    expected = set()
    for module_name in ENDPOINTS:
        expected |= {e for _, _, e in _operations(_module(module_name).router.routes)}
    missing = sorted(f"{e.__module__}.{e.__name__}" for e in expected - included)
    assert expected and not missing, (
        f"api_router must include both endpoint routers; handlers missing from it: {missing}"
    )


@pytest.mark.rule("structure")
def test_app_routes_are_served_by_endpoint_modules(app):
    operations = _operations(app.routes)
    assert operations, "the app has no API routes"
    outside = sorted(
        f"{method} {path} -> {endpoint.__module__}.{endpoint.__name__}"
        for method, path, endpoint in operations
        if endpoint.__module__ not in ENDPOINTS
    )
    assert not outside, (
        "every route must be served by a handler in app/api/v1/endpoints/ (none left in "
        f"app/main.py): {outside}"
    )
    pairs = [(method, path) for method, path, _ in operations]
    duplicates = sorted({p for p in pairs if pairs.count(p) > 1})
    assert not duplicates, (
        f"each method and path must be registered once, got duplicates {duplicates}"
    )


@pytest.mark.rule("structure")
def test_main_only_wires_the_app(app):
    main = _module("app.main")
    assert getattr(main, "app", None) is app, "app.main must still expose the application as `app`"
    defined = sorted(
        name
        for name, obj in vars(main).items()
        if inspect.isclass(obj) and obj.__module__ == "app.main"
    )
    assert not defined, (
        f"app/main.py must only wire the app; these classes still live there: {defined}"
    )
    handler_names = {endpoint.__name__ for _, _, endpoint in _operations(app.routes)}
    handler_names |= HANDLER_NAMES
    handlers = sorted(
        name
        for name, obj in vars(main).items()
        if inspect.isfunction(obj) and obj.__module__ == "app.main" and name in handler_names
    )
    assert not handlers, f"app/main.py must not define route handlers any more: {handlers}"
