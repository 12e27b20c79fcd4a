from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.config import config
from app.core.exceptions import ConflictError, NotFoundError
from app.core.security import hash_password, verify_password
from app.models.account import ROLE_ADMIN, ROLE_USER, Account


def find_by_email(session: Session, email: str) -> Account | None:
    return session.scalars(
        select(Account).where(Account.email == email.lower())
    ).first()


def register(session: Session, email: str, password: str) -> Account:
    account = Account(
        email=email.lower(), hashed_password=hash_password(password), role=ROLE_USER
    )
    session.add(account)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise ConflictError("Email already registered") from None
    return account


def authenticate(session: Session, email: str, password: str) -> Account | None:
    account = find_by_email(session, email)
    if account is None or not verify_password(password, account.hashed_password):
        return None
    return account


def set_role(session: Session, account_id: int, role: str) -> Account:
    account = session.get(Account, account_id)
    if account is None:
        raise NotFoundError("Account")
    account.role = role
    session.commit()
    return account


def ensure_admin(session: Session) -> None:
    if not (config.admin_email and config.admin_password):
        return
    account = find_by_email(session, config.admin_email)
    if account is None:
        session.add(
            Account(
                email=config.admin_email.lower(),
                hashed_password=hash_password(config.admin_password),
                role=ROLE_ADMIN,
            )
        )
    else:
        account.role = ROLE_ADMIN
        if not verify_password(config.admin_password, account.hashed_password):
            account.hashed_password = hash_password(config.admin_password)
    session.commit()
