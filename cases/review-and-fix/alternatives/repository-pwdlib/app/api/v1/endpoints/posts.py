from fastapi import APIRouter, Response, status

from app.api.v1.dependencies import CurrentUser, DbSession, ExistingPost, OwnedPost
from app.models.post import Post
from app.schemas.post import PostCreate, PostResponse

router = APIRouter(prefix="/posts", tags=["posts"])

NOT_FOUND = {404: {"description": "No post with this id"}}


@router.post(
    "",
    response_model=PostResponse,
    status_code=status.HTTP_201_CREATED,
    summary="Publish a post",
)
async def create_post(
    post_in: PostCreate, db: DbSession, current_user: CurrentUser
) -> Post:
    post = Post(**post_in.model_dump(), author_id=current_user.id)
    db.add(post)
    await db.commit()
    await db.refresh(post)
    return post


# post_id is resolved by the ExistingPost / OwnedPost dependencies.
@router.get(
    "/{post_id}",  # noqa: FAST003
    response_model=PostResponse,
    summary="Read a post",
    responses=NOT_FOUND,
)
async def read_post(post: ExistingPost) -> Post:
    return post


@router.delete(
    "/{post_id}",  # noqa: FAST003
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="Delete a post (author only)",
    responses={
        403: {"description": "Only the author may delete a post"},
        **NOT_FOUND,
    },
)
async def delete_post(post: OwnedPost, db: DbSession) -> None:
    await db.delete(post)
    await db.commit()
