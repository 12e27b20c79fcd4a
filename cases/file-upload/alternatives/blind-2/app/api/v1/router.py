from fastapi import APIRouter

from app.api.v1.endpoints import files

router = APIRouter(prefix="/api/v1")
router.include_router(files.router)
