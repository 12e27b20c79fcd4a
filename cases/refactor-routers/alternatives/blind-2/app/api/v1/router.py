"""Version 1 of the API; ``app.main`` mounts it under ``/api/v1``."""

from fastapi import APIRouter

from app.api.v1.endpoints import items, users

api_router = APIRouter()
api_router.include_router(users.router)
api_router.include_router(items.router)
