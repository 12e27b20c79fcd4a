"""Top-level OpenAPI metadata of the service."""

API_TITLE = "Inventory API"
API_VERSION = "1.0.0"
API_PREFIX = "/api/v1"

API_DESCRIPTION = (
    "REST API of the inventory service. It manages product categories and the "
    "products filed under them: categories have unique names, every product "
    "belongs to one category and has a unique SKU. Errors raised by the API "
    'itself are returned as `{"detail": "<message>"}`.'
)

OPENAPI_TAGS = [
    {
        "name": "categories",
        "description": "Product categories: create them, list them and look one up.",
    },
    {
        "name": "products",
        "description": "Products: create, list with category filter and "
        "pagination, read, partially update and delete.",
    },
]
