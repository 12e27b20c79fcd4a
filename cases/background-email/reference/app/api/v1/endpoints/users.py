from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, HTTPException, status
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.database import get_db
from app.core.security import hash_password
from app.models.user import User
from app.schemas.user import UserCreate, UserResponse
from app.services.email import EmailSender, get_email_sender, send_welcome_email

router = APIRouter(prefix="/users", tags=["users"])

DUPLICATE_EMAIL = "A user with this email already exists"


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Register a new user",
    description=(
        "Register a new user with email and password. A welcome email is sent in the "
        "background once the response has been delivered."
    ),
    responses={status.HTTP_409_CONFLICT: {"description": DUPLICATE_EMAIL}},
)
async def register_user(
    user_in: UserCreate,
    db: Annotated[AsyncSession, Depends(get_db)],
    email_sender: Annotated[EmailSender, Depends(get_email_sender)],
    background_tasks: BackgroundTasks,
) -> UserResponse:
    existing = await db.scalar(select(User).where(User.email == user_in.email))
    if existing is not None:
        raise HTTPException(
            status_code=status.HTTP_409_CONFLICT, detail=DUPLICATE_EMAIL
        )

    user = User(email=user_in.email, hashed_password=hash_password(user_in.password))
    db.add(user)
    try:
        await db.commit()
    # A registration racing this one between the check above and the commit: only two
    # interleaved concurrent requests reach it, which no deterministic test can arrange.
    except IntegrityError:  # pragma: no cover
        await db.rollback()
        raise HTTPException(
            status_code=status.HTTP_409_CONFLICT, detail=DUPLICATE_EMAIL
        ) from None
    await db.refresh(user)

    # Scheduled only after the commit succeeded: runs once the response is sent.
    background_tasks.add_task(send_welcome_email, email_sender, user.email)
    return UserResponse.model_validate(user)
