from fastapi import FastAPI

from app.api.v1.router import api_router
from app.core.config import get_settings

app = FastAPI(title=get_settings().app_name, version="1.0.0")
app.include_router(api_router)
