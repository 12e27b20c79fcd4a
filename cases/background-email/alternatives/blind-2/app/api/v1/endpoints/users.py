from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, HTTPException, status
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.database import get_db
from app.core.security import hash_password
from app.models.user import User
from app.schemas.user import UserCreate, UserResponse
from app.services.email import EmailSender, get_email_sender
from app.services.welcome import WelcomeEmail, deliver_welcome_email

router = APIRouter(prefix="/users", tags=["users"])

DUPLICATE_EMAIL = "A user with this email already exists"

EmailSenderDep = Annotated[EmailSender, Depends(get_email_sender)]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Register a new user",
    description=(
        "Register a new user with email and password. On success (201) a "
        "welcome e-mail is queued as a background task and sent to the "
        "registered address after the response; failed registrations send "
        "nothing and e-mail errors never affect the response."
    ),
    responses={status.HTTP_409_CONFLICT: {"description": DUPLICATE_EMAIL}},
)
async def register_user(
    user_in: UserCreate,
    db: Annotated[AsyncSession, Depends(get_db)],
    sender: EmailSenderDep,
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
    except IntegrityError:
        await db.rollback()
        raise HTTPException(
            status_code=status.HTTP_409_CONFLICT, detail=DUPLICATE_EMAIL
        ) from None
    await db.refresh(user)
    created = UserResponse.model_validate(user)

    # Only reached after a successful commit, so the user is visible to others.
    background_tasks.add_task(
        deliver_welcome_email, sender, WelcomeEmail.for_address(created.email)
    )
    return created
