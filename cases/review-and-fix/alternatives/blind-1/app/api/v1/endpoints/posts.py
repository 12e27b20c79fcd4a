from fastapi import APIRouter, HTTPException, Response, status

from app.api.v1.dependencies import CurrentUser, DbSession
from app.models.post import Post
from app.schemas.post import PostCreate, PostResponse

router = APIRouter(prefix="/posts", tags=["posts"])


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
    responses={404: {"description": "No such post"}},
)
async def get_post(post_id: int, db: DbSession) -> Post:
    post = await db.get(Post, post_id)
    if post is None:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND, detail="Post not found"
        )
    return post


@router.delete(
    "/{post_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="Delete a post",
    responses={
        403: {"description": "Not the author of the post"},
        404: {"description": "No such post"},
    },
)
async def delete_post(
    post_id: int, db: DbSession, current_user: CurrentUser
) -> Response:
    post = await db.get(Post, post_id)
    if post is None:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND, detail="Post not found"
        )
    if post.author_id != current_user.id:
        raise HTTPException(
            status_code=status.HTTP_403_FORBIDDEN,
            detail="Not allowed to delete this post",
        )
    await db.delete(post)
    await db.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
