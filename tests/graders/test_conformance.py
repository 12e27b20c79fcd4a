"""Each conformance check fires on code breaking the agent file's pattern, and stays silent
on code following it."""

import ast
import textwrap

import pytest

from graders.conformance import (
    CHECKS,
    Module,
    check_annotated_dependencies,
    check_no_hardcoded_secrets,
    check_no_stub_bodies,
    check_pydantic_v2,
    check_router_prefix_and_tags,
)

GOOD = textwrap.dedent(
    """
    import os
    from typing import Annotated

    import jwt
    from fastapi import APIRouter, Depends
    from pydantic import BaseModel, ConfigDict, field_validator

    SECRET_KEY = os.environ["JWT_SECRET_KEY"]
    ALGORITHM = "HS256"
    router = APIRouter(prefix="/users", tags=["users"])


    class UserResponse(BaseModel):
        model_config = ConfigDict(from_attributes=True)
        email: str

        @field_validator("email")
        @classmethod
        def lower(cls, v: str) -> str:
            return v.lower()


    def get_db():
        yield None


    @router.get("/{user_id}")
    async def read_user(user_id: int, db: Annotated[object, Depends(get_db)]) -> UserResponse:
        data = UserResponse(email="a@b.c").model_dump()
        token = jwt.encode({"sub": "x"}, SECRET_KEY, algorithm=ALGORITHM)
        return UserResponse(email=data["email"] + token[:0])
    """
)


def modules(code: str) -> list[Module]:
    return [Module("app/api/users.py", ast.parse(textwrap.dedent(code)))]


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.id)
def test_idiomatic_code_passes_every_check(check):
    assert list(check.run(modules(GOOD))) == []


@pytest.mark.parametrize(
    ("check", "code", "expected"),
    [
        (check_annotated_dependencies,
         "@router.get('/')\nasync def f(db = Depends(get_db)):\n    return 1\n", "Depends() as a default"),
        (check_pydantic_v2, "class U(BaseModel):\n    class Config:\n        orm_mode = True\n", "class Config"),
        (check_pydantic_v2, "@validator('x')\ndef v(cls, x):\n    return x\n", "@validator"),
        (check_pydantic_v2, "def f(u):\n    return u.dict()\n", ".dict()"),
        (check_router_prefix_and_tags,
         "router = APIRouter()\n@router.get('/x')\nasync def f():\n    return 1\n", "without ['prefix', 'tags']"),
        (check_no_stub_bodies, "@router.post('/')\nasync def create():\n    pass\n", "create() has a stub body"),
        (check_no_stub_bodies, "def todo():\n    raise NotImplementedError\n", "todo() has a stub body"),
        (check_no_hardcoded_secrets, "SECRET_KEY = 'super-secret-value-123'\n", "SECRET_KEY is a hard-coded string"),
        (check_no_hardcoded_secrets, "t = jwt.encode({}, 'my-key-literal', algorithm='HS256')\n", "literal key"),
    ],
)  # fmt: skip
def test_each_check_fires_on_the_pattern_it_forbids(check, code, expected):
    hits = list(check(modules(code)))
    assert hits, f"{check.__name__} missed: {code}"
    assert expected in hits[0][2]


def test_router_prefix_given_at_include_time_counts():
    code = (
        "router = APIRouter()\n@router.get('/x')\nasync def f():\n    return 1\n"
        "app.include_router(router, prefix='/api/v1/x', tags=['x'])\n"
    )
    assert list(check_router_prefix_and_tags(modules(code))) == []


def test_abstract_and_protocol_stubs_are_allowed():
    code = (
        "class Repo(Protocol):\n    def get(self):\n        ...\n"
        "class Base(ABC):\n    @abstractmethod\n    def run(self):\n        pass\n"
    )
    assert list(check_no_stub_bodies(modules(code))) == []
