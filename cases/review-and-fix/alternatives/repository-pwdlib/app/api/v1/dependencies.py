from typing import Annotated

from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.database import get_db
from app.core.exceptions import ForbiddenError, NotFoundError, UnauthorizedError
from app.core.security import decode_access_token
from app.models.post import Post
from app.models.user import User

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/login")

DbSession = Annotated[AsyncSession, Depends(get_db)]


async def get_current_user(
    token: Annotated[str, Depends(oauth2_scheme)],
    db: DbSession,
) -> User:
    subject = decode_access_token(token)
    user = await db.get(User, int(subject)) if subject and subject.isdigit() else None
    if user is None:
        raise UnauthorizedError("Could not validate credentials")
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


async def get_post(post_id: int, db: DbSession) -> Post:
    post = await db.get(Post, post_id)
    if post is None:
        raise NotFoundError("Post not found")
    return post


ExistingPost = Annotated[Post, Depends(get_post)]


async def get_owned_post(current_user: CurrentUser, post: ExistingPost) -> Post:
    if post.author_id != current_user.id:
        raise ForbiddenError("Only the author may delete this post")
    return post


OwnedPost = Annotated[Post, Depends(get_owned_post)]
