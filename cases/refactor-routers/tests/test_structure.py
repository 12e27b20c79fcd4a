"""The refactor's target layout (tagged ``structure``).

Files are written over the starting workspace and nothing is deleted, so these tests look at
what the application actually uses, not at which files exist. The sample is never imported:
its modules are read from source (:mod:`static_app` follows their imports, routers and
``include_router`` calls the way Python would run their top level).
"""

from __future__ import annotations

import ast

import pytest
from conftest import USERS
from static_app import Analyzer, ClassRef, Function, Instance, Router, Scope, operations

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
    "app.schemas.item": ["ItemBase", "ItemCreate", "ItemUpdate", "ItemResponse"],
}
OPENAPI_METHODS = {"get", "post", "put", "patch", "delete", "head", "options", "trace"}


@pytest.fixture
def sample(source):
    """A fresh static reading of the sample's modules."""
    return Analyzer(source)


def _module(sample, name) -> Scope:
    path = sample.source.path_of(name)
    if path is None:
        pytest.fail(f"module {name} must exist ({name.replace('.', '/')}.py)", pytrace=False)
    namespace = sample.module(name)
    if namespace is None:
        pytest.fail(f"module {name} must exist and parse: {path} does not parse", pytrace=False)
    return namespace


def _app(sample) -> Router:
    app = _module(sample, "app.main").vars.get("app")
    assert isinstance(app, Router) and app.is_app, (
        "app.main must still expose the application as `app` (a FastAPI instance, found "
        f"{'nothing' if app is None else app!r})"
    )
    return app


def _class_sites(source, class_name) -> list[str]:
    sites = []
    for rel in source.python_files():
        text = source.text(rel)
        try:
            tree = ast.parse(text or "")
        except (SyntaxError, ValueError):
            continue
        if any(isinstance(n, ast.ClassDef) and n.name == class_name for n in ast.walk(tree)):
            sites.append(rel)
    return sites


def _bases_settings(sample, cls, depth=0) -> bool:
    """Whether the class derives from pydantic-settings' ``BaseSettings``."""
    for base in cls.node.bases:
        value = sample.eval(base, cls.scope)
        if getattr(value, "dotted", "").split(".")[-1] == "BaseSettings":
            return True
        if isinstance(value, ClassRef) and depth < 5 and _bases_settings(sample, value, depth + 1):
            return True
    return False


def _database_url_source(sample, cls) -> str | None:
    """None when ``Settings.database_url`` is read from ``DATABASE_URL``; else why not."""
    field = None
    for stmt in cls.node.body:
        targets = [stmt.target] if isinstance(stmt, ast.AnnAssign) else getattr(stmt, "targets", [])
        if any(isinstance(t, ast.Name) and t.id == "database_url" for t in targets):
            field = stmt
    if field is None:
        return "Settings must keep the database_url field"
    tree = sample.source.tree(cls.module)
    if any(isinstance(n, ast.Constant) and n.value == "DATABASE_URL" for n in ast.walk(tree)):
        return None  # read explicitly (os.environ["DATABASE_URL"], an alias, ...)
    if not _bases_settings(sample, cls):
        return "Settings must still be a pydantic-settings BaseSettings reading DATABASE_URL"
    for node in ast.walk(cls.node):
        sets_prefix = (isinstance(node, ast.keyword) and node.arg == "env_prefix") or (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "env_prefix" for t in node.targets)
        )
        if not sets_prefix:
            continue
        prefix = sample.eval(node.value, cls.scope)
        if prefix != "":
            return f"Settings has env_prefix={prefix!r}: database_url would not read DATABASE_URL"
    value = getattr(field, "value", None)
    if isinstance(value, ast.Call):
        for keyword in value.keywords:
            if keyword.arg in {"alias", "validation_alias"}:
                return (
                    f"Settings.database_url has {keyword.arg}={ast.unparse(keyword.value)}: it "
                    "must read DATABASE_URL"
                )
    return None


@pytest.mark.rule("structure")
@pytest.mark.requirement("standard-layout")
def test_layout_modules_import(client, source, sample):
    problems = []
    for name in MODULES:
        path = source.path_of(name)
        if path is None:
            problems.append(f"{name}: missing ({name.replace('.', '/')}.py)")
        elif sample.module(name) is None:
            problems.append(f"{name}: {path} does not parse")
    problems += sample.import_problems
    assert not problems, f"the target layout's modules must exist and import: {problems}"


@pytest.mark.rule("structure", "schemas")
@pytest.mark.requirement("settings-in-config", "get-db-in-database", "models-in-modules", "schemas-in-modules")
def test_classes_live_in_their_modules(client, source, sample, db):
    misplaced = []
    for module_name, class_names in CLASSES.items():
        namespace = _module(sample, module_name)
        for class_name in class_names:
            obj = namespace.vars.get(class_name)
            if not isinstance(obj, ClassRef) or obj.module != module_name:
                if isinstance(obj, ClassRef):
                    where = obj.module
                else:
                    where = ", ".join(_class_sites(source, class_name)) or "nowhere"
                misplaced.append(f"{class_name} must be defined in {module_name} (found: {where})")
    assert not misplaced, "; ".join(misplaced)
    config = _module(sample, "app.core.config")
    settings = config.vars.get("settings")
    settings_class = config.vars["Settings"]
    assert isinstance(settings, Instance) and settings.cls is settings_class, (
        "app.core.config must expose the Settings instance as `settings` (found "
        f"{'nothing' if settings is None else settings!r})"
    )
    problem = _database_url_source(sample, settings_class)
    assert problem is None, (
        f"settings.database_url must still come from the DATABASE_URL environment variable: "
        f"{problem}"
    )
    client.get(USERS)  # the app opens its database (lifespan, a query)
    try:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    except OSError as exc:
        pytest.fail(
            "settings.database_url must still come from the DATABASE_URL environment variable: "
            f"the app's database at DATABASE_URL is not there ({exc})",
            pytrace=False,
        )
    assert "users" in tables, (
        "settings.database_url must still come from the DATABASE_URL environment variable: the "
        f"database at DATABASE_URL has no users table (tables: {sorted(tables)})"
    )
    get_db = _module(sample, "app.core.database").vars.get("get_db")
    assert get_db is not None and not isinstance(get_db, (str, int, float, list, tuple, dict)), (
        "app.core.database must define the get_db session dependency"
    )


@pytest.mark.rule("structure", "api-design")
@pytest.mark.requirement("users-router", "items-router", "tags-on-routers")
def test_endpoint_modules_define_tagged_routers(client, sample):
    for module_name, (prefix, tags, expected) in ENDPOINTS.items():
        router = _module(sample, module_name).vars.get("router")
        assert isinstance(router, Router) and not router.is_app, (
            f"{module_name} must define `router = APIRouter(...)`"
        )
        assert router.prefix == prefix, (
            f"{module_name}.router must have prefix={prefix!r}, got {router.prefix!r}"
        )
        found_tags = list(router.tags) if isinstance(router.tags, (list, tuple)) else router.tags
        assert found_tags == tags, (
            f"{module_name}.router must have tags={tags}, got {router.tags!r}"
        )
        ops = operations(router)
        found = {(op.method, op.path) for op in ops}
        assert found == expected, (
            f"{module_name}.router must hold exactly the operations {sorted(expected)}, got "
            f"{sorted(found)}"
        )
        strays = {op.handler for op in ops if op.module != module_name}
        assert not strays, (
            f"{module_name}.router's handlers must be defined in that module: {sorted(strays)}"
        )


@pytest.mark.rule("structure")
@pytest.mark.requirement("api-router")
def test_api_router_includes_endpoint_routers(client, sample):
    api_router = _module(sample, "app.api.v1.router").vars.get("api_router")
    assert isinstance(api_router, Router) and not api_router.is_app, (
        "app/api/v1/router.py must define `api_router = APIRouter(...)`"
    )
    included = {(op.module, op.name) for op in operations(api_router)}
    expected = set()
    for module_name in ENDPOINTS:
        router = _module(sample, module_name).vars.get("router")
        if isinstance(router, Router):
            expected |= {(op.module, op.name) for op in operations(router)}
    missing = sorted(f"{module}.{name}" for module, name in expected - included)
    unresolved = f" (includes not resolved: {sample.unresolved_includes})" * bool(
        sample.unresolved_includes
    )
    assert expected and not missing, (
        f"api_router must include both endpoint routers; handlers missing from it: {missing}"
        f"{unresolved}"
    )


@pytest.mark.rule("structure")
@pytest.mark.requirement("main-wires-only", "api-router")
def test_app_routes_are_served_by_endpoint_modules(client, openapi, sample):
    ops = operations(_app(sample))
    assert ops, "the app has no API routes"
    outside = sorted(
        f"{op.method} {op.path} -> {op.handler}" for op in ops if op.module not in ENDPOINTS
    )
    assert not outside, (
        "every route must be served by a handler in app/api/v1/endpoints/ (none left in "
        f"app/main.py): {outside}"
    )
    pairs = [(op.method, op.path) for op in ops]
    duplicates = sorted({p for p in pairs if pairs.count(p) > 1})
    assert not duplicates, (
        f"each method and path must be registered once, got duplicates {duplicates}"
    )
    served = {
        (method.upper(), path)
        for path, item in openapi.get("paths", {}).items()
        for method in item
        if method in OPENAPI_METHODS
    }
    untraced = sorted(served - set(pairs))
    unresolved = f" (includes not resolved: {sample.unresolved_includes})" * bool(
        sample.unresolved_includes
    )
    assert not untraced, (
        "every route must be served by a handler in app/api/v1/endpoints/, included through "
        f"api_router: these served operations are not: {untraced}{unresolved}"
    )


@pytest.mark.rule("structure")
@pytest.mark.requirement("main-wires-only")
def test_main_only_wires_the_app(client, sample):
    app = _app(sample)
    main = _module(sample, "app.main")
    defined = sorted(
        name
        for name, obj in main.vars.items()
        if isinstance(obj, ClassRef) and obj.module == "app.main"
    )
    assert not defined, (
        f"app/main.py must only wire the app; these classes still live there: {defined}"
    )
    handler_names = {op.name for op in operations(app)} | HANDLER_NAMES
    handlers = sorted(
        name
        for name, obj in main.vars.items()
        if isinstance(obj, Function) and obj.module == "app.main" and name in handler_names
    )
    assert not handlers, f"app/main.py must not define route handlers any more: {handlers}"
