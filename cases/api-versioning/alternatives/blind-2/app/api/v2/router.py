from fastapi import APIRouter

from app.api.v2.endpoints import customers

api_router = APIRouter(prefix="/api/v2")
api_router.include_router(customers.router, tags=["customers-v2"])
