from fastapi import APIRouter, status
from sqlalchemy.exc import IntegrityError

from app.db import SessionDep
from app.errors import ConflictError, NotFoundError
from app.models import Account
from app.passwords import hash_password
from app.schemas import Problem, PublicUser, RegistrationRequest

router = APIRouter(prefix="/api/v1/users", tags=["users"])


@router.post(
    "",
    response_model=PublicUser,
    status_code=status.HTTP_201_CREATED,
    summary="Register a user",
    responses={409: {"model": Problem, "description": "E-mail already registered"}},
)
def register(payload: RegistrationRequest, session: SessionDep) -> Account:
    account = Account(
        email=payload.email, password_hash=hash_password(payload.password)
    )
    session.add(account)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise ConflictError("This e-mail address is already registered") from None
    session.refresh(account)
    return account


@router.get(
    "/{user_id}",
    response_model=PublicUser,
    summary="Fetch a user",
    responses={404: {"model": Problem, "description": "Unknown user id"}},
)
def read_user(user_id: int, session: SessionDep) -> Account:
    account = session.get(Account, user_id)
    if account is None:
        raise NotFoundError(f"No user with id {user_id}")
    return account
