from pydantic import BaseModel


class FieldProblem(BaseModel):
    field: str
    message: str


class ErrorInfo(BaseModel):
    code: str
    message: str
    details: list[FieldProblem] = []


class ErrorEnvelope(BaseModel):
    error: ErrorInfo
