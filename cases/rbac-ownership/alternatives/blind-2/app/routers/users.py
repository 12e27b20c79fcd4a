from fastapi import APIRouter

from app.deps import Caller
from app.models import User
from app.schemas import UserOut

router = APIRouter(prefix="/users", tags=["users"])


@router.get("/me", response_model=UserOut)
def me(user: Caller) -> User:
    return user
