from fastapi import FastAPI

from app.api.v1.router import api_router
from app.core.config import get_settings
from app.middleware.cors import make_cors_middleware
from app.middleware.request_context import request_context

settings = get_settings()

app = FastAPI(title=settings.app_name, version="1.0.0")

# Registered inner first: the CORS layer wraps the request-context layer, so even the
# 500 that request_context builds for an unhandled exception gets the CORS headers.
app.middleware("http")(request_context)
app.middleware("http")(make_cors_middleware(settings.cors_origins))

app.include_router(api_router)
