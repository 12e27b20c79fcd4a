from fastapi import APIRouter

from app.api.v1.endpoints import admin, auth, notes, users

router = APIRouter(prefix="/api/v1")
for module in (auth, users, notes, admin):
    router.include_router(module.router)
