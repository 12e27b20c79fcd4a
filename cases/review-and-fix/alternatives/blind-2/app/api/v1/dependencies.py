from typing import Annotated

from fastapi import Depends, HTTPException, Path, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.database import get_db
from app.core.security import decode_access_token
from app.models.post import Post
from app.models.user import User

# auto_error=False: we answer 401 + WWW-Authenticate ourselves, for a missing
# header, a non-Bearer scheme and a bad token alike.
bearer_scheme = HTTPBearer(auto_error=False)

DbSession = Annotated[AsyncSession, Depends(get_db)]


def _unauthorized() -> HTTPException:
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail="Could not validate credentials",
        headers={"WWW-Authenticate": "Bearer"},
    )


async def get_current_user(
    credentials: Annotated[
        HTTPAuthorizationCredentials | None, Depends(bearer_scheme)
    ],
    db: DbSession,
) -> User:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise _unauthorized()
    subject = decode_access_token(credentials.credentials)
    try:
        user_id = int(subject) if subject is not None else None
    except ValueError:
        user_id = None
    if user_id is None:
        raise _unauthorized()
    user = await db.get(User, user_id)
    if user is None:
        raise _unauthorized()
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


async def get_post_owned_by_caller(
    post_id: Annotated[int, Path()], db: DbSession, current_user: CurrentUser
) -> Post:
    """The post, if it exists (else 404) and the caller wrote it (else 403)."""
    post = await db.get(Post, post_id)
    if post is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="Post not found")
    if post.author_id != current_user.id:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, detail="You can only delete your own posts"
        )
    return post


OwnedPost = Annotated[Post, Depends(get_post_owned_by_caller)]
