from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.session import get_db
from app.schemas.user import (
    ErrorMessage,
    UserCreate,
    UserResponse,
    ValidationErrorResponse,
)
from app.services import users as user_service

router = APIRouter(prefix="/users", tags=["users"])

DbSession = Annotated[AsyncSession, Depends(get_db)]


@router.post(
    "/",
    response_model=UserResponse,
    status_code=status.HTTP_201_CREATED,
    summary="Register a new user",
    description=(
        "Create a user account from an e-mail address and a password. The "
        "address is stored in lower case; the password is stored only as a "
        "salted, deliberately slow hash."
    ),
    response_description="The newly registered user",
    responses={
        status.HTTP_409_CONFLICT: {
            "model": ErrorMessage,
            "description": "The e-mail address is already registered",
        },
        status.HTTP_422_UNPROCESSABLE_CONTENT: {
            "model": ValidationErrorResponse,
            "description": "Invalid request body (submitted values are not echoed)",
        },
    },
)
async def register_user(payload: UserCreate, db: DbSession) -> UserResponse:
    try:
        user = await user_service.create_user(db, payload.email, payload.password)
    except user_service.EmailAlreadyRegisteredError:
        raise HTTPException(
            status_code=status.HTTP_409_CONFLICT,
            detail="A user with this e-mail address is already registered.",
        ) from None
    return UserResponse.model_validate(user)


@router.get(
    "/{user_id}",
    response_model=UserResponse,
    summary="Get a user by id",
    description="Return the public representation of a single user.",
    response_description="The requested user",
    responses={
        status.HTTP_404_NOT_FOUND: {
            "model": ErrorMessage,
            "description": "No user has this id",
        },
        status.HTTP_422_UNPROCESSABLE_CONTENT: {
            "model": ValidationErrorResponse,
            "description": "The user id is not an integer",
        },
    },
)
async def get_user(user_id: int, db: DbSession) -> UserResponse:
    user = await user_service.get_user_by_id(db, user_id)
    if user is None:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND, detail="User not found."
        )
    return UserResponse.model_validate(user)
