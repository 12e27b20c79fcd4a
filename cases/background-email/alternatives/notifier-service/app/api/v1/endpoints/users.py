from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, status
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.database import get_db
from app.schemas.user import UserCreate, UserResponse
from app.services.notifications import WelcomeNotifier, get_welcome_notifier
from app.services.users import register_user as register_user_service

router = APIRouter(prefix="/users", tags=["users"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Register a new user",
    description="Register a new user; a welcome e-mail follows in the background.",
    responses={status.HTTP_409_CONFLICT: {"description": "Email already registered"}},
)
async def register_user(
    user_in: UserCreate,
    background_tasks: BackgroundTasks,
    db: Annotated[AsyncSession, Depends(get_db)],
    notifier: Annotated[WelcomeNotifier, Depends(get_welcome_notifier)],
) -> UserResponse:
    user = await register_user_service(db, user_in)
    background_tasks.add_task(notifier.deliver, user.email)
    return UserResponse.model_validate(user)
