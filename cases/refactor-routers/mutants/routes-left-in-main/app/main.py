"""Application wiring: settings, lifespan (table creation) and the versioned routers."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app import models  # noqa: F401  (registers the tables on Base.metadata)
from app.api.v1.router import api_router
from app.core.config import settings
from app.core.database import Base, engine


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    yield
    await engine.dispose()


app = FastAPI(title=f"{settings.app_name} API", version="1.0.0", lifespan=lifespan)
app.include_router(api_router, prefix="/api/v1")

# --- routes (still here from the single-file version) ---------------------------------
from collections.abc import Sequence  # noqa: E402
from typing import Annotated  # noqa: E402

from fastapi import Depends, HTTPException, Query, Response, status  # noqa: E402
from sqlalchemy import select  # noqa: E402
from sqlalchemy.exc import IntegrityError  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncSession  # noqa: E402

from app.core.database import get_db  # noqa: E402
from app.models.item import Item  # noqa: E402
from app.models.user import User  # noqa: E402
from app.schemas.item import ItemCreate, ItemResponse, ItemUpdate  # noqa: E402
from app.schemas.user import UserCreate, UserResponse  # noqa: E402

DbSession = Annotated[AsyncSession, Depends(get_db)]

USER_NOT_FOUND = "User not found"
ITEM_NOT_FOUND = "Item not found"
OWNER_NOT_FOUND = "Owner not found"
DUPLICATE_EMAIL = "A user with this email already exists"

# --- users routes ---------------------------------------------------------------------


@app.post(
    "/api/v1/users",
    status_code=status.HTTP_201_CREATED,
    tags=["users"],
    summary="Create a user",
    responses={status.HTTP_409_CONFLICT: {"description": DUPLICATE_EMAIL}},
)
async def create_user(data: UserCreate, db: DbSession) -> UserResponse:
    """Create a user; e-mail addresses are unique."""
    if await db.scalar(select(User.id).where(User.email == data.email)):
        raise HTTPException(status.HTTP_409_CONFLICT, detail=DUPLICATE_EMAIL)
    user = User(email=data.email, full_name=data.full_name)
    db.add(user)
    try:
        await db.commit()
    except IntegrityError:
        await db.rollback()
        raise HTTPException(status.HTTP_409_CONFLICT, detail=DUPLICATE_EMAIL) from None
    await db.refresh(user)
    return UserResponse.model_validate(user)


@app.get("/api/v1/users", tags=["users"], summary="List users")
async def list_users(
    db: DbSession,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[UserResponse]:
    """Users ordered by id."""
    rows = await db.scalars(select(User).order_by(User.id).limit(limit).offset(offset))
    return [UserResponse.model_validate(u) for u in rows]


@app.get(
    "/api/v1/users/{user_id}",
    tags=["users"],
    summary="Get a user",
    responses={status.HTTP_404_NOT_FOUND: {"description": USER_NOT_FOUND}},
)
async def get_user(user_id: int, db: DbSession) -> UserResponse:
    user = await db.get(User, user_id)
    if user is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=USER_NOT_FOUND)
    return UserResponse.model_validate(user)


@app.get(
    "/api/v1/users/{user_id}/items",
    tags=["users"],
    summary="List a user's items",
    responses={status.HTTP_404_NOT_FOUND: {"description": USER_NOT_FOUND}},
)
async def list_user_items(user_id: int, db: DbSession) -> list[ItemResponse]:
    """Items owned by one user, ordered by id."""
    if await db.get(User, user_id) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=USER_NOT_FOUND)
    rows = await db.scalars(
        select(Item).where(Item.owner_id == user_id).order_by(Item.id)
    )
    return [ItemResponse.model_validate(i) for i in rows]


# --- items routes ---------------------------------------------------------------------


async def _get_item_or_404(db: AsyncSession, item_id: int) -> Item:
    item = await db.get(Item, item_id)
    if item is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=ITEM_NOT_FOUND)
    return item


@app.post(
    "/api/v1/items",
    status_code=status.HTTP_201_CREATED,
    tags=["items"],
    summary="Create an item",
    responses={status.HTTP_404_NOT_FOUND: {"description": OWNER_NOT_FOUND}},
)
async def create_item(data: ItemCreate, db: DbSession) -> ItemResponse:
    """Create an item owned by an existing user."""
    if await db.get(User, data.owner_id) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=OWNER_NOT_FOUND)
    item = Item(**data.model_dump())
    db.add(item)
    await db.commit()
    await db.refresh(item)
    return ItemResponse.model_validate(item)


@app.get("/api/v1/items", tags=["items"], summary="List items")
async def list_items(
    db: DbSession,
    owner_id: Annotated[
        int | None, Query(description="Only this owner's items")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[ItemResponse]:
    """Items ordered by id, optionally filtered by owner."""
    query = select(Item).order_by(Item.id).limit(limit).offset(offset)
    if owner_id is not None:
        query = query.where(Item.owner_id == owner_id)
    rows: Sequence[Item] = (await db.scalars(query)).all()
    return [ItemResponse.model_validate(i) for i in rows]


@app.get(
    "/api/v1/items/{item_id}",
    tags=["items"],
    summary="Get an item",
    responses={status.HTTP_404_NOT_FOUND: {"description": ITEM_NOT_FOUND}},
)
async def get_item(item_id: int, db: DbSession) -> ItemResponse:
    return ItemResponse.model_validate(await _get_item_or_404(db, item_id))


@app.patch(
    "/api/v1/items/{item_id}",
    tags=["items"],
    summary="Update an item",
    responses={status.HTTP_404_NOT_FOUND: {"description": ITEM_NOT_FOUND}},
)
async def update_item(item_id: int, data: ItemUpdate, db: DbSession) -> ItemResponse:
    """Partial update: only the fields sent are changed."""
    item = await _get_item_or_404(db, item_id)
    for field, value in data.model_dump(exclude_unset=True).items():
        setattr(item, field, value)
    await db.commit()
    await db.refresh(item)
    return ItemResponse.model_validate(item)


@app.delete(
    "/api/v1/items/{item_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["items"],
    summary="Delete an item",
    responses={status.HTTP_404_NOT_FOUND: {"description": ITEM_NOT_FOUND}},
)
async def delete_item(item_id: int, db: DbSession) -> Response:
    item = await _get_item_or_404(db, item_id)
    await db.delete(item)
    await db.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
