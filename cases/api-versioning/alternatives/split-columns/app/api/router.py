"""All API versions, each under its own prefix."""

from fastapi import APIRouter

from app.api.v1.router import api_router as v1_router
from app.api.v2 import customers as v2_customers

api_router = APIRouter(prefix="/api")
api_router.include_router(v1_router, prefix="/v1")
api_router.include_router(v2_customers.router, prefix="/v2")
