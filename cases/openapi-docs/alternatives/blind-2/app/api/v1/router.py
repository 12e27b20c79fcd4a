from fastapi import APIRouter

from app.api.v1.endpoints import categories, products
from app.core.openapi import API_PREFIX

api_router = APIRouter(prefix=API_PREFIX)
api_router.include_router(categories.router, tags=["categories"])
api_router.include_router(products.router, tags=["products"])
