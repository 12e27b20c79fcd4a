from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from app.api.v1.router import api_router
from app.core.config import get_settings
from app.core.middleware import (
    PROCESS_TIME_HEADER,
    REQUEST_ID_HEADER,
    RequestContextMiddleware,
    UnhandledErrorMiddleware,
)

settings = get_settings()

app = FastAPI(title=settings.app_name, version="1.0.0")

# add_middleware wraps what is already there, so the last one added runs first:
# RequestContext -> CORS -> UnhandledError -> routes. A 500 built by UnhandledError
# therefore still passes through CORS and gets the request id and timing headers.
app.add_middleware(UnhandledErrorMiddleware)
app.add_middleware(
    CORSMiddleware,
    allow_origins=["*"],
    allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    allow_headers=["Authorization", "Content-Type", REQUEST_ID_HEADER],
    expose_headers=[REQUEST_ID_HEADER, PROCESS_TIME_HEADER],
)
app.add_middleware(RequestContextMiddleware)

app.include_router(api_router)
