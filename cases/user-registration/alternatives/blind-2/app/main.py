from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.concurrency import run_in_threadpool

from app.database import create_tables
from app.errors import validation_error_handler
from app.routers import users


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    await run_in_threadpool(create_tables)
    yield


def create_app() -> FastAPI:
    application = FastAPI(title="Users API", version="1.0.0", lifespan=lifespan)
    application.add_exception_handler(RequestValidationError, validation_error_handler)
    application.include_router(users.router)
    return application


app = create_app()
