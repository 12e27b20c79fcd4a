from fastapi import Request, status
from fastapi.responses import JSONResponse


class AuthenticationError(Exception):
    """No usable credentials on the request: answered with 401 + a Bearer challenge."""

    def __init__(self, detail: str = "Not authenticated") -> None:
        super().__init__(detail)
        self.detail = detail


async def authentication_error_handler(
    _: Request, exc: AuthenticationError
) -> JSONResponse:
    return JSONResponse(
        status_code=status.HTTP_401_UNAUTHORIZED,
        content={"detail": exc.detail},
        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
    )
