"""Inventory service: users and the items they own.

Everything lives in this one module for now: settings, database, models, schemas and the
routes of both resources.
"""

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Query, Response, status
from pydantic import BaseModel, ConfigDict, EmailStr, Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# --- settings -------------------------------------------------------------------------


class Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore")

    app_name: str = "Inventory"
    database_url: str = "sqlite+aiosqlite:///./app.db"


settings = Settings()

# --- database -------------------------------------------------------------------------


class Base(DeclarativeBase):
    pass


engine = create_async_engine(settings.database_url)
SessionLocal = async_sessionmaker(engine, expire_on_commit=False)


async def get_db() -> AsyncIterator[AsyncSession]:
    async with SessionLocal() as session:
        yield session


DbSession = Annotated[AsyncSession, Depends(get_db)]

# --- models ---------------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True, index=True)
    full_name: Mapped[str] = mapped_column(String(100))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class Item(Base):
    __tablename__ = "items"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    price_cents: Mapped[int] = mapped_column(Integer)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


# --- schemas --------------------------------------------------------------------------


class UserCreate(BaseModel):
    email: EmailStr = Field(..., examples=["ada@example.com"])
    full_name: str = Field(..., min_length=1, max_length=100, examples=["Ada Lovelace"])


class UserResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: EmailStr
    full_name: str
    is_active: bool
    created_at: datetime


class ItemBase(BaseModel):
    title: str = Field(..., min_length=1, max_length=200, examples=["Desk lamp"])
    description: str | None = Field(None, max_length=1000)
    price_cents: int = Field(..., ge=0, description="Price in cents", examples=[1999])


class ItemCreate(ItemBase):
    owner_id: int = Field(..., description="Id of the owning user")


class ItemUpdate(BaseModel):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=1000)
    price_cents: int | None = Field(None, ge=0)


class ItemResponse(ItemBase):
    model_config = ConfigDict(from_attributes=True)

    id: int
    owner_id: int
    created_at: datetime


# --- app ------------------------------------------------------------------------------


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    yield
    await engine.dispose()


app = FastAPI(title=f"{settings.app_name} API", version="1.0.0", lifespan=lifespan)

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
