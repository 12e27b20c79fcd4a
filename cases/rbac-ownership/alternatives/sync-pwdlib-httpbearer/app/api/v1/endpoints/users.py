from fastapi import APIRouter

from app.api.deps import CurrentAccount
from app.models.account import Account
from app.schemas.account import AccountRead

router = APIRouter(prefix="/users", tags=["users"])


@router.get("/me", response_model=AccountRead, summary="Who am I")
def me(account: CurrentAccount) -> Account:
    return account
