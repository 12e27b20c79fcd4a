from fastapi import APIRouter

from app.api.v1.endpoints import items, users
from app.core.config import settings

api_router = APIRouter(prefix=settings.api_v1_prefix)
for endpoint_module in (users, items):
    api_router.include_router(endpoint_module.router)
