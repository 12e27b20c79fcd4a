from fastapi import APIRouter, HTTPException, Response, status

from app.api.v1.dependencies import CurrentUser, DbSession
from app.models.post import Post
from app.schemas.post import PostCreate, PostResponse

router = APIRouter(prefix="/posts", tags=["posts"])

_NOT_FOUND = {404: {"description": "No post with this id"}}


async def _get_post_or_404(db: DbSession, post_id: int) -> Post:
    post = await db.get(Post, post_id)
    if post is None:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND, detail="Post not found"
        )
    return post


@router.post(
    "",
    response_model=PostResponse,
    status_code=status.HTTP_201_CREATED,
    summary="Publish a post",
)
async def create_post(
    post_in: PostCreate, db: DbSession, current_user: CurrentUser
) -> Post:
    post = Post(title=post_in.title, content=post_in.content, author_id=current_user.id)
    db.add(post)
    await db.commit()
    await db.refresh(post)
    return post


@router.get(
    "/{post_id}",
    response_model=PostResponse,
    summary="Read a post",
    responses=_NOT_FOUND,
)
async def get_post(post_id: int, db: DbSession) -> Post:
    return await _get_post_or_404(db, post_id)


@router.delete(
    "/{post_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a post (author only)",
    responses={
        403: {"description": "Only the author may delete a post"},
        **_NOT_FOUND,
    },
)
async def delete_post(
    post_id: int, db: DbSession, current_user: CurrentUser
) -> Response:
    post = await _get_post_or_404(db, post_id)
    if post.author_id != current_user.id:
        raise HTTPException(
            status_code=status.HTTP_403_FORBIDDEN,
            detail="Only the author may delete this post",
        )
    await db.delete(post)
    await db.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
