from app.db.engine import Base, SessionLocal, engine, get_session, init_db

__all__ = ["Base", "SessionLocal", "engine", "get_session", "init_db"]
