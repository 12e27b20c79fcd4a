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
        "Register a new user with email and password. "
        "After a successful registration a welcome e-mail is sent to the new "
        "address in the background, once the response has been returned; "
        "failed registrations send no e-mail, and a failure to send never "
        "affects the registration."
    ),
    responses={status.HTTP_409_CONFLICT: {"description": DUPLICATE_EMAIL}},
)
async def register_user(
    user_in: UserCreate,
    background_tasks: BackgroundTasks,
    db: Annotated[AsyncSession, Depends(get_db)],
    sender: Annotated[EmailSender, Depends(get_email_sender)],
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
    except IntegrityError:
        await db.rollback()
        raise HTTPException(
            status_code=status.HTTP_409_CONFLICT, detail=DUPLICATE_EMAIL
        ) from None
    await db.refresh(user)
    response = UserResponse.model_validate(user)

    # The user is committed: queue the welcome e-mail to run after the response.
    background_tasks.add_task(send_welcome_email, sender, response.email)
    return response
