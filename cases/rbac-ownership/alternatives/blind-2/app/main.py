import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from app import crud
from app.config import Settings
from app.database import Base, make_engine, make_sessionmaker
from app.routers import admin, auth, notes, users

logger = logging.getLogger(__name__)


def _bootstrap(settings: Settings, app: FastAPI) -> None:
    engine = make_engine(settings.sync_database_url)
    Base.metadata.create_all(engine)
    factory = make_sessionmaker(engine)
    seed = settings.admin_seed
    if seed is not None:
        with factory() as db:
            crud.ensure_admin(db, *seed)
        logger.info("Administrator account ensured")
    app.state.engine = engine
    app.state.session_factory = factory


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = Settings()  # read DATABASE_URL, JWT_SECRET_KEY, ADMIN_* at start-up
    app.state.settings = settings
    await run_in_threadpool(_bootstrap, settings, app)
    try:
        yield
    finally:
        app.state.engine.dispose()


api_v1 = APIRouter(prefix="/api/v1")
for module in (auth, users, notes, admin):
    api_v1.include_router(module.router)

app = FastAPI(title="Notes API", version="1.0.0", lifespan=lifespan)
app.include_router(api_v1)


@app.exception_handler(RequestValidationError)
async def redacted_validation_error(
    _: Request, exc: RequestValidationError
) -> JSONResponse:
    """Standard 422 body minus the rejected values: they may be a password."""
    keep = ("type", "loc", "msg", "ctx")
    detail = [{k: e[k] for k in keep if k in e} for e in exc.errors()]
    return JSONResponse(status_code=422, content={"detail": jsonable_encoder(detail)})
