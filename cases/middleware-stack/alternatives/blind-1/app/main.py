from fastapi import FastAPI

from app.api.v1.router import api_router
from app.core.config import get_settings
from app.core.cors import cors_origins_from_env
from app.core.middleware import setup_middleware

app = FastAPI(title=get_settings().app_name, version="1.0.0")
app.include_router(api_router)
setup_middleware(app, cors_origins=cors_origins_from_env())
