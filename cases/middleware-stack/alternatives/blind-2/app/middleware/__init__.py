"""Application-wide HTTP middleware."""

from app.middleware.cors import CredentialedCORSMiddleware
from app.middleware.request_context import request_context_middleware

__all__ = ["CredentialedCORSMiddleware", "request_context_middleware"]
