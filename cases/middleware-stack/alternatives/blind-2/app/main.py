from fastapi import FastAPI

from app.api.v1.router import api_router
from app.core.config import Settings, get_settings
from app.middleware import CredentialedCORSMiddleware, request_context_middleware

app = FastAPI(title=get_settings().app_name, version="1.0.0")
app.include_router(api_router)

# Middleware order: each registration wraps the previous ones, so CORS (added
# last) is the outermost layer and also decorates the 500 produced by the
# request-context middleware.
app.middleware("http")(request_context_middleware)
app.add_middleware(
    CredentialedCORSMiddleware,
    # Read fresh from the environment each time the application is built.
    allow_origins=Settings().cors_origin_list,
    allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
    allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
    expose_headers=["X-Request-ID", "X-Process-Time"],
)
