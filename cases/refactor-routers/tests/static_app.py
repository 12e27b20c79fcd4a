"""Harness-owned helper: what the sample's modules bind and route, read from their source.

The judge never imports the sample. This module walks the ``ast`` of the sample's modules
(the ``source`` fixture) the way Python would execute their top level, with symbolic values:
imports between the sample's own modules are followed (``from app.api.v1.endpoints import
users`` then ``users.router``), module-level functions are interpreted when called (an app
factory, ``get_settings()``), ``for`` loops over literal tuples are unrolled, and every
``APIRouter``/``FastAPI`` object records its prefix, tags, routes (decorators,
``add_api_route``, ``api_route``) and included routers. Anything it cannot follow is an
:class:`Unknown` value rather than a guess.
"""

from __future__ import annotations

import ast
import contextlib
from dataclasses import dataclass, field
from typing import Any

HTTP_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")
MAX_CALL_DEPTH = 12
MAX_STEPS = 200_000


class Unknown:
    """A value the static reading cannot determine (``text`` says where it came from)."""

    def __init__(self, text: str = "?") -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"<unknown {self.text}>"


@dataclass(eq=False, repr=False)
class ModuleRef:
    name: str

    def __repr__(self) -> str:
        return f"<module {self.name}>"


@dataclass(eq=False, repr=False)
class Scope:
    module: str
    parent: Scope | None = None
    vars: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"<namespace of {self.module}>"

    def lookup(self, name: str) -> Any:
        scope: Scope | None = self
        while scope is not None:
            if name in scope.vars:
                return scope.vars[name]
            scope = scope.parent
        return Unknown(name)


@dataclass(eq=False, repr=False)
class Function:
    module: str
    name: str
    node: ast.FunctionDef | ast.AsyncFunctionDef
    scope: Scope

    def __repr__(self) -> str:
        return f"<function {self.module}.{self.name}>"


@dataclass(eq=False, repr=False)
class ClassRef:
    module: str
    name: str
    node: ast.ClassDef
    scope: Scope

    def __repr__(self) -> str:
        return f"<class {self.module}.{self.name}>"


@dataclass(eq=False, repr=False)
class Instance:
    cls: ClassRef

    def __repr__(self) -> str:
        return f"<{self.cls.module}.{self.cls.name} instance>"


@dataclass(eq=False, repr=False)
class External:
    dotted: str

    def __repr__(self) -> str:
        return f"<{self.dotted}>"


@dataclass(eq=False, repr=False)
class Route:
    methods: list[str]
    path: str
    handler: Any


@dataclass(eq=False, repr=False)
class Include:
    router: Any
    prefix: str
    where: str


@dataclass(eq=False, repr=False)
class Router:
    is_app: bool
    module: str
    line: int
    prefix: Any
    tags: Any
    entries: list[Any] = field(default_factory=list)

    def __repr__(self) -> str:
        kind = "FastAPI" if self.is_app else "APIRouter"
        return f"<{kind} created at {self.module}:{self.line}>"


@dataclass(eq=False, repr=False)
class Method:
    router: Router
    name: str


@dataclass(eq=False, repr=False)
class RouteDecorator:
    router: Router
    methods: list[str]
    path: str


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    module: str  # the handler's module ("?" when the handler could not be resolved)
    name: str  # the handler's name

    @property
    def handler(self) -> str:
        return f"{self.module}.{self.name}"


class _Return(Exception):
    def __init__(self, value: Any) -> None:
        self.value = value


def text_of(value: Any) -> str:
    """A path piece as text; an undeterminable piece reads ``{?expr}``."""
    if isinstance(value, str):
        return value
    if isinstance(value, Unknown):
        return "{?" + value.text + "}"
    return "{?" + type(value).__name__ + "}"


def handler_of(value: Any) -> tuple[str, str]:
    if isinstance(value, Function):
        return value.module, value.name
    if isinstance(value, External):
        module, _, name = value.dotted.rpartition(".")
        return module or "?", name
    return "?", text_of(value)


class Analyzer:
    """Symbolic execution of the sample's modules' top level (memoised per module)."""

    def __init__(self, source: Any) -> None:
        self.source = source
        self.scopes: dict[str, Scope] = {}
        self.import_problems: list[str] = []
        self.unresolved_includes: list[str] = []
        self._calls: list[Function] = []
        self._steps = 0
        self._guarded = 0
        self._current = ""

    # --- modules ------------------------------------------------------------------------

    def is_sample_module(self, name: str) -> bool:
        return self.source.path_of(name) is not None

    def is_sample_package_name(self, name: str) -> bool:
        """Whether ``name`` lies under one of the sample's own top-level packages/modules."""
        return self.is_sample_module(name.split(".")[0])

    def module(self, name: str) -> Scope | None:
        """The module's namespace after its top level ran; None when missing or unparsable."""
        if name in self.scopes:
            return self.scopes[name]
        parts = name.split(".")
        for i in range(1, len(parts)):  # as Python does: the packages' __init__ run first
            self.module(".".join(parts[:i]))
        if name in self.scopes:  # a package's __init__ imported it
            return self.scopes[name]
        tree = self.source.tree(name)
        if tree is None:
            return None
        scope = Scope(module=name, vars={"__name__": name})
        self.scopes[name] = scope  # registered first: a circular import sees a partial module
        previous, self._current = self._current, name
        guarded, self._guarded = self._guarded, 0
        try:
            self.exec_block(tree.body, scope)
        finally:
            self._current, self._guarded = previous, guarded
        return scope

    def _problem(self, text: str) -> None:
        if not self._guarded:
            self.import_problems.append(f"{self._current or '?'}: {text}")

    def _load(self, name: str) -> Scope | None:
        scope = self.module(name)
        if scope is None:
            if self.is_sample_module(name):
                self._problem(f"{name} ({self.source.path_of(name)}) does not parse")
            else:
                self._problem(f"no module named {name}")
        return scope

    def _resolve_from(self, scope: Scope, level: int, module: str | None) -> str:
        if not level:
            return module or ""
        path = self.source.path_of(scope.module) or ""
        package = scope.module if path.endswith("__init__.py") else scope.module.rpartition(".")[0]
        parts = package.split(".") if package else []
        if level > 1:
            parts = parts[: len(parts) - (level - 1)]
        base = ".".join(parts)
        if module:
            base = f"{base}.{module}" if base else module
        return base

    def _import(self, node: ast.Import, scope: Scope) -> None:
        for alias in node.names:
            name = alias.name
            if not self.is_sample_package_name(name):
                top = name if alias.asname else name.split(".")[0]
                scope.vars[alias.asname or top] = External(top)
                continue
            parts = name.split(".")
            for i in range(1, len(parts) + 1):
                self._load(".".join(parts[:i]))
            if alias.asname:
                scope.vars[alias.asname] = ModuleRef(name)
            else:
                scope.vars[parts[0]] = ModuleRef(parts[0])

    def _import_from(self, node: ast.ImportFrom, scope: Scope) -> None:
        base = self._resolve_from(scope, node.level, node.module)
        if not base or not self.is_sample_package_name(base):
            for alias in node.names:
                if alias.name != "*":
                    scope.vars[alias.asname or alias.name] = External(f"{base}.{alias.name}")
            return
        parts = base.split(".")
        for i in range(1, len(parts)):
            self.module(".".join(parts[:i]))
        namespace = self._load(base)
        if namespace is None:
            for alias in node.names:
                if alias.name != "*":
                    scope.vars[alias.asname or alias.name] = Unknown(f"{base}.{alias.name}")
            return
        for alias in node.names:
            if alias.name == "*":
                exported = namespace.vars.get("__all__")
                names = (
                    [n for n in exported if isinstance(n, str)]
                    if isinstance(exported, (list, tuple))
                    else [n for n in namespace.vars if not n.startswith("_")]
                )
                for name in names:
                    scope.vars[name] = namespace.vars.get(name, Unknown(f"{base}.{name}"))
                continue
            target = alias.asname or alias.name
            submodule = f"{base}.{alias.name}"
            if alias.name in namespace.vars:
                scope.vars[target] = namespace.vars[alias.name]
            elif self.is_sample_module(submodule):
                self._load(submodule)
                scope.vars[target] = ModuleRef(submodule)
            else:
                if not self._binds_anything(namespace):
                    self._problem(f"cannot import name {alias.name!r} from {base}")
                scope.vars[target] = Unknown(submodule)

    @staticmethod
    def _binds_anything(namespace: Scope) -> bool:
        """A module-level ``__getattr__`` can supply any name."""
        return isinstance(namespace.vars.get("__getattr__"), Function)

    # --- statements ---------------------------------------------------------------------

    def exec_block(self, body: list[ast.stmt], scope: Scope) -> None:
        for stmt in body:
            self.exec_stmt(stmt, scope)

    def exec_stmt(self, stmt: ast.stmt, scope: Scope) -> None:
        self._steps += 1
        if self._steps > MAX_STEPS:
            return
        if isinstance(stmt, ast.Import):
            self._import(stmt, scope)
        elif isinstance(stmt, ast.ImportFrom):
            self._import_from(stmt, scope)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            function = Function(scope.module, stmt.name, stmt, scope)
            for decorator in reversed(stmt.decorator_list):
                self.apply(self.eval(decorator, scope), [function], {})
            scope.vars[stmt.name] = function
        elif isinstance(stmt, ast.ClassDef):
            scope.vars[stmt.name] = ClassRef(scope.module, stmt.name, stmt, scope)
        elif isinstance(stmt, ast.Assign):
            value = self.eval(stmt.value, scope)
            for target in stmt.targets:
                self.bind(target, value, scope)
        elif isinstance(stmt, ast.AnnAssign):
            if stmt.value is not None:
                self.bind(stmt.target, self.eval(stmt.value, scope), scope)
        elif isinstance(stmt, ast.AugAssign):
            self.bind(stmt.target, Unknown(ast.unparse(stmt)), scope)
        elif isinstance(stmt, ast.Expr):
            self.eval(stmt.value, scope)
        elif isinstance(stmt, ast.If):
            test = self.eval(stmt.test, scope)
            if test is True or test is False:
                self.exec_block(stmt.body if test else stmt.orelse, scope)
            else:
                self.exec_block(stmt.body, scope)
                self.exec_block(stmt.orelse, scope)
        elif isinstance(stmt, (ast.For, ast.AsyncFor)):
            values = self.eval(stmt.iter, scope)
            if isinstance(values, (list, tuple)):
                for value in values:
                    self.bind(stmt.target, value, scope)
                    self.exec_block(stmt.body, scope)
            else:
                self.bind(stmt.target, Unknown(ast.unparse(stmt.target)), scope)
                self.exec_block(stmt.body, scope)
            self.exec_block(stmt.orelse, scope)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            for item in stmt.items:
                if item.optional_vars is not None:
                    self.bind(item.optional_vars, Unknown("with"), scope)
            self.exec_block(stmt.body, scope)
        elif isinstance(stmt, (ast.Try, getattr(ast, "TryStar", ast.Try))):
            guarded = bool(stmt.handlers)
            self._guarded += guarded
            try:
                self.exec_block(stmt.body, scope)
            finally:
                self._guarded -= guarded
            self.exec_block(stmt.orelse, scope)
            self.exec_block(stmt.finalbody, scope)
        elif isinstance(stmt, ast.Return):
            raise _Return(None if stmt.value is None else self.eval(stmt.value, scope))
        elif isinstance(stmt, ast.Delete):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    scope.vars.pop(target.id, None)

    def bind(self, target: ast.expr, value: Any, scope: Scope) -> None:
        if isinstance(target, ast.Name):
            scope.vars[target.id] = value
        elif isinstance(target, (ast.Tuple, ast.List)):
            values = value if isinstance(value, (list, tuple)) else None
            if values is not None and len(values) != len(target.elts):
                values = None
            for index, element in enumerate(target.elts):
                inner = element.value if isinstance(element, ast.Starred) else element
                self.bind(inner, Unknown("unpacked") if values is None else values[index], scope)

    # --- expressions --------------------------------------------------------------------

    def eval(self, node: ast.expr, scope: Scope) -> Any:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            return scope.lookup(node.id)
        if isinstance(node, ast.Attribute):
            return self.attribute(self.eval(node.value, scope), node.attr, node)
        if isinstance(node, ast.Call):
            function = self.eval(node.func, scope)
            args = [
                Unknown("*args") if isinstance(a, ast.Starred) else self.eval(a, scope)
                for a in node.args
            ]
            kwargs = {k.arg: self.eval(k.value, scope) for k in node.keywords if k.arg}
            return self.apply(function, args, kwargs, node)
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            values = [
                Unknown("*") if isinstance(e, ast.Starred) else self.eval(e, scope)
                for e in node.elts
            ]
            return tuple(values) if isinstance(node, ast.Tuple) else values
        if isinstance(node, ast.Dict):
            out: dict[Any, Any] = {}
            for key, value in zip(node.keys, node.values, strict=True):
                if key is None:
                    continue
                k = self.eval(key, scope)
                with contextlib.suppress(TypeError):  # an unhashable key
                    out[k] = self.eval(value, scope)
            return out
        if isinstance(node, ast.JoinedStr):
            pieces = []
            for part in node.values:
                value = (
                    self.eval(part.value, scope)
                    if isinstance(part, ast.FormattedValue)
                    else (part.value if isinstance(part, ast.Constant) else Unknown())
                )
                if not isinstance(value, (str, int)) or isinstance(value, bool):
                    return Unknown(ast.unparse(node))
                pieces.append(str(value))
            return "".join(pieces)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = self.eval(node.left, scope), self.eval(node.right, scope)
            if isinstance(left, str) and isinstance(right, str):
                return left + right
            if isinstance(left, (list, tuple)) and type(left) is type(right):
                return left + right
            return Unknown(ast.unparse(node))
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            left, right = self.eval(node.left, scope), self.eval(node.comparators[0], scope)
            known = (str, int, float, type(None))
            if isinstance(left, known) and isinstance(right, known):
                if isinstance(node.ops[0], ast.Eq):
                    return left == right
                if isinstance(node.ops[0], ast.NotEq):
                    return left != right
            return Unknown(ast.unparse(node))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            value = self.eval(node.operand, scope)
            return (not value) if isinstance(value, bool) else Unknown(ast.unparse(node))
        return Unknown(ast.unparse(node))

    def attribute(self, value: Any, name: str, node: ast.expr) -> Any:
        if isinstance(value, ModuleRef):
            namespace = self.module(value.name)
            if namespace is not None and name in namespace.vars:
                return namespace.vars[name]
            submodule = f"{value.name}.{name}"
            if self.is_sample_module(submodule):
                self.module(submodule)
                return ModuleRef(submodule)
            return Unknown(submodule)
        if isinstance(value, External):
            return External(f"{value.dotted}.{name}")
        if isinstance(value, Router):
            if name in HTTP_VERBS or name in {"api_route", "add_api_route", "include_router"}:
                return Method(value, name)
            if name == "router" and value.is_app:
                return value
            return Unknown(ast.unparse(node))
        if isinstance(value, (Instance, ClassRef)):
            cls = value.cls if isinstance(value, Instance) else value
            default = self.class_attribute(cls, name)
            return Unknown(ast.unparse(node)) if default is None else default
        return Unknown(ast.unparse(node))

    def class_attribute(self, cls: ClassRef, name: str, depth: int = 0) -> Any:
        """A class attribute's default, from the class body (then the sample's base classes)."""
        for stmt in cls.node.body:
            value = None
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                if stmt.target.id == name and stmt.value is not None:
                    value = stmt.value
            elif isinstance(stmt, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in stmt.targets
            ):
                value = stmt.value
            if value is not None:
                return self._default(value, cls.scope)
        if depth < 5:
            for base in cls.node.bases:
                parent = self.eval(base, cls.scope)
                if isinstance(parent, ClassRef):
                    found = self.class_attribute(parent, name, depth + 1)
                    if found is not None:
                        return found
        return None

    def _default(self, value: ast.expr, scope: Scope) -> Any:
        """A field's default value; ``Field("x")`` and ``Field(default="x")`` read ``"x"``."""
        if isinstance(value, ast.Call):
            function = self.eval(value.func, scope)
            if isinstance(function, External) and function.dotted.split(".")[-1] == "Field":
                for keyword in value.keywords:
                    if keyword.arg == "default":
                        return self.eval(keyword.value, scope)
                if value.args:
                    return self.eval(value.args[0], scope)
        return self.eval(value, scope)

    def apply(
        self, function: Any, args: list[Any], kwargs: dict[str, Any], node: ast.AST | None = None
    ) -> Any:
        where = f"{self._current}:{getattr(node, 'lineno', '?')}"
        if isinstance(function, External):
            parts = function.dotted.split(".")
            if parts[0] == "fastapi" and parts[-1] in {"APIRouter", "FastAPI"}:
                is_app = parts[-1] == "FastAPI"
                return Router(
                    is_app=is_app,
                    module=self._current,
                    line=getattr(node, "lineno", 0),
                    prefix="" if is_app else kwargs.get("prefix", ""),
                    tags=kwargs.get("tags", []),
                )
            return Unknown(function.dotted + "()")
        if isinstance(function, ClassRef):
            return Instance(function)
        if isinstance(function, Function):
            return self.call(function, args, kwargs)
        if isinstance(function, Method):
            router, name = function.router, function.name
            if name in HTTP_VERBS:
                return RouteDecorator(router, [name.upper()], _arg(args, kwargs, 0, "path"))
            if name == "api_route":
                return RouteDecorator(
                    router, _methods(kwargs.get("methods")), _arg(args, kwargs, 0, "path")
                )
            if name == "add_api_route":
                self.register(
                    router,
                    _methods(kwargs.get("methods")),
                    _arg(args, kwargs, 0, "path"),
                    _arg(args, kwargs, 1, "endpoint"),
                )
                return None
            if name == "include_router":
                sub = _arg(args, kwargs, 0, "router")
                if not isinstance(sub, Router):
                    self.unresolved_includes.append(f"{where} includes {sub!r}")
                prefix = text_of(router.prefix) + text_of(kwargs.get("prefix", ""))
                router.entries.append(Include(sub, prefix, where))
                return None
        if isinstance(function, RouteDecorator):
            handler = args[0] if args else Unknown("handler")
            self.register(function.router, function.methods, function.path, handler)
            return handler
        return Unknown("call")

    def register(self, router: Router, methods: list[str], path: Any, handler: Any) -> None:
        router.entries.append(Route(methods, text_of(router.prefix) + text_of(path), handler))

    def call(self, function: Function, args: list[Any], kwargs: dict[str, Any]) -> Any:
        if function in self._calls or len(self._calls) >= MAX_CALL_DEPTH:
            return Unknown(f"{function.name}()")
        scope = Scope(module=function.module, parent=function.scope)
        params = function.node.args
        positional = [*params.posonlyargs, *params.args]
        for index, param in enumerate(positional):
            if index < len(args):
                scope.vars[param.arg] = args[index]
            elif param.arg in kwargs:
                scope.vars[param.arg] = kwargs[param.arg]
            else:
                scope.vars[param.arg] = Unknown(param.arg)
        for param in params.kwonlyargs:
            scope.vars[param.arg] = kwargs.get(param.arg, Unknown(param.arg))
        for extra in (params.vararg, params.kwarg):
            if extra is not None:
                scope.vars[extra.arg] = Unknown(extra.arg)
        self._calls.append(function)
        previous, self._current = self._current, function.module
        try:
            self.exec_block(function.node.body, scope)
        except _Return as result:
            return result.value
        finally:
            self._calls.pop()
            self._current = previous
        return None


def _arg(args: list[Any], kwargs: dict[str, Any], index: int, name: str) -> Any:
    if index < len(args):
        return args[index]
    return kwargs.get(name, Unknown(name))


def _methods(value: Any) -> list[str]:
    if value is None:
        return ["GET"]
    if isinstance(value, (list, tuple, set)):
        return [v.upper() if isinstance(v, str) else "?" for v in value]
    return ["?"]


def operations(router: Router, prefix: str = "", depth: int = 0) -> list[Operation]:
    """Every ``(method, path, handler)`` the router serves, included routers flattened."""
    out: list[Operation] = []
    if depth > 20:
        return out
    for entry in router.entries:
        if isinstance(entry, Route):
            module, name = handler_of(entry.handler)
            out += [Operation(m, prefix + entry.path, module, name) for m in entry.methods]
        elif isinstance(entry, Include) and isinstance(entry.router, Router):
            out += operations(entry.router, prefix + entry.prefix, depth + 1)
    return out


def top_level_definitions(tree: ast.Module) -> list[ast.stmt]:
    """Class and function definitions a module binds at its top level (under if/try too)."""
    found: list[ast.stmt] = []
    stack = list(tree.body)
    while stack:
        stmt = stack.pop(0)
        if isinstance(stmt, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            found.append(stmt)
        elif isinstance(stmt, (ast.If, ast.With, ast.AsyncWith, ast.For, ast.AsyncFor)):
            stack += [*stmt.body, *getattr(stmt, "orelse", [])]
        elif isinstance(stmt, ast.Try):
            stack += [*stmt.body, *stmt.orelse, *stmt.finalbody]
            for handler in stmt.handlers:
                stack += handler.body
    return found
