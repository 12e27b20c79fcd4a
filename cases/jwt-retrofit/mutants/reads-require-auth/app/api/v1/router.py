from fastapi import APIRouter, Depends

from app.api.v1.dependencies import get_current_user
from app.api.v1.endpoints import auth, products

api_router = APIRouter(prefix="/api/v1")
api_router.include_router(auth.router)
api_router.include_router(products.router, dependencies=[Depends(get_current_user)])
