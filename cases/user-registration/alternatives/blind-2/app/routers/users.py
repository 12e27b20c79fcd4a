from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.database import get_session
from app.models import User
from app.passwords import hash_password
from app.schemas import Detail, PublicUser, RegistrationRequest, ValidationFailure

router = APIRouter(tags=["users"])

SessionDep = Annotated[Session, Depends(get_session)]

_SQLITE_MAX_ROWID = 2**63 - 1


@router.post(
    "/api/v1/users",
    status_code=201,
    response_model=PublicUser,
    summary="Register a user",
    responses={
        201: {"description": "User registered"},
        409: {"model": Detail, "description": "E-mail address already registered"},
        422: {"model": ValidationFailure, "description": "Validation failed"},
    },
)
def register(body: RegistrationRequest, session: SessionDep) -> User:
    user = User(email=body.email, password_hash=hash_password(body.password))
    session.add(user)
    try:
        # The unique index on the (lower-cased) e-mail decides conflicts,
        # which also covers two concurrent registrations.
        session.commit()
    except IntegrityError:
        session.rollback()
        raise HTTPException(
            status_code=409, detail="E-mail address already registered"
        ) from None
    session.refresh(user)
    return user


@router.get(
    "/api/v1/users/{user_id}",
    response_model=PublicUser,
    summary="Fetch a user",
    responses={
        200: {"description": "The user"},
        404: {"model": Detail, "description": "No user with this id"},
        422: {"model": ValidationFailure, "description": "user_id is not an integer"},
    },
)
def fetch(user_id: int, session: SessionDep) -> User:
    user = session.get(User, user_id) if 0 < user_id <= _SQLITE_MAX_ROWID else None
    if user is None:
        raise HTTPException(status_code=404, detail="User not found")
    return user
