from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="INVENTORY_", extra="ignore")

    app_name: str = "Inventory"
    database_url: str = "sqlite+aiosqlite:///./app.db"


settings = Settings()
