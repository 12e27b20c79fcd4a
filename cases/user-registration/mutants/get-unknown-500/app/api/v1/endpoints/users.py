"""User registration and lookup endpoints."""

from fastapi import APIRouter, HTTPException, status

from app.api.v1.dependencies import DbSession
from app.core.exceptions import EmailAlreadyRegisteredError
from app.schemas.user import ErrorResponse, UserCreate, UserResponse
from app.services import user_service

router = APIRouter(prefix="/users", tags=["users"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Register a new user",
    description=(
        "Create an account from an e-mail address and a password. The e-mail is "
        "stored lower-cased; the password is stored only as a bcrypt hash."
    ),
    responses={
        status.HTTP_409_CONFLICT: {
            "model": ErrorResponse,
            "description": "The e-mail address is already registered",
        },
    },
)
async def create_user(user_data: UserCreate, db: DbSession) -> UserResponse:
    try:
        user = await user_service.create_user(db, user_data)
    except EmailAlreadyRegisteredError:
        raise HTTPException(
            status_code=status.HTTP_409_CONFLICT,
            detail="A user with this email already exists",
        ) from None
    return UserResponse.model_validate(user)


@router.get(
    "/{user_id}",
    summary="Get a user by id",
    description="Return the public profile of one user.",
    responses={
        status.HTTP_404_NOT_FOUND: {
            "model": ErrorResponse,
            "description": "No such user",
        },
    },
)
async def get_user(user_id: int, db: DbSession) -> UserResponse:
    user = await user_service.get_user_by_id(db, user_id)
    return UserResponse.model_validate(user)
