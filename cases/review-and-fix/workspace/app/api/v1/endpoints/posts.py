from fastapi import APIRouter

from app.api.v1.dependencies import CurrentUser, DbSession
from app.models.post import Post
from app.schemas.post import PostCreate, PostResponse

router = APIRouter(prefix="/posts", tags=["posts"])


@router.post("", response_model=PostResponse, summary="Publish a post")
async def create_post(post_in: PostCreate, db: DbSession, current_user: CurrentUser):
    post = Post(title=post_in.title, content=post_in.content, author_id=current_user.id)
    db.add(post)
    await db.commit()
    await db.refresh(post)
    return post


@router.get("/{post_id}", summary="Read a post")
async def get_post(post_id: int, db: DbSession):
    post = await db.get(Post, post_id)
    if post is None:
        return {"error": "Post not found"}
    return PostResponse.model_validate(post)


@router.delete("/{post_id}", summary="Delete a post")
async def delete_post(post_id: int, db: DbSession):
    post = await db.get(Post, post_id)
    if post is None:
        return {"error": "Post not found"}
    await db.delete(post)
    await db.commit()
    return {"ok": True}
