"""Error messages shared by the API and the service layer."""

USER_NOT_FOUND = "User not found"
ITEM_NOT_FOUND = "Item not found"
OWNER_NOT_FOUND = "Owner not found"
DUPLICATE_EMAIL = "A user with this email already exists"
