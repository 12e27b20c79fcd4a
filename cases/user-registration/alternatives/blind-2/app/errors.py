"""422 responses that never echo the submitted values."""

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

_KEPT_KEYS = ("loc", "msg", "type")


async def validation_error_handler(
    request: Request, exc: RequestValidationError
) -> JSONResponse:
    # Pydantic error dicts carry "input" (the offending value, possibly the
    # password), "ctx" and "url": keep only the location, message and type.
    detail = [
        {"loc": list(err["loc"]), "msg": err["msg"], "type": err["type"]}
        for err in exc.errors()
        if all(key in err for key in _KEPT_KEYS)
    ]
    if not detail:
        detail = [{"loc": ["body"], "msg": "Invalid request", "type": "value_error"}]
    return JSONResponse(status_code=422, content={"detail": detail})
