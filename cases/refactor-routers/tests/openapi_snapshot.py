"""The OpenAPI document of the starting (single-file) app, captured before the refactor.

A behaviour-preserving refactor must leave ``app.openapi()`` equal to this.
"""

import json

EXPECTED_OPENAPI = json.loads(
    r"""
{
 "components": {
  "schemas": {
   "HTTPValidationError": {
    "properties": {
     "detail": {
      "items": {
       "$ref": "#/components/schemas/ValidationError"
      },
      "title": "Detail",
      "type": "array"
     }
    },
    "title": "HTTPValidationError",
    "type": "object"
   },
   "ItemCreate": {
    "properties": {
     "description": {
      "anyOf": [
       {
        "maxLength": 1000,
        "type": "string"
       },
       {
        "type": "null"
       }
      ],
      "title": "Description"
     },
     "owner_id": {
      "description": "Id of the owning user",
      "title": "Owner Id",
      "type": "integer"
     },
     "price_cents": {
      "description": "Price in cents",
      "examples": [
       1999
      ],
      "minimum": 0.0,
      "title": "Price Cents",
      "type": "integer"
     },
     "title": {
      "examples": [
       "Desk lamp"
      ],
      "maxLength": 200,
      "minLength": 1,
      "title": "Title",
      "type": "string"
     }
    },
    "required": [
     "title",
     "price_cents",
     "owner_id"
    ],
    "title": "ItemCreate",
    "type": "object"
   },
   "ItemResponse": {
    "properties": {
     "created_at": {
      "format": "date-time",
      "title": "Created At",
      "type": "string"
     },
     "description": {
      "anyOf": [
       {
        "maxLength": 1000,
        "type": "string"
       },
       {
        "type": "null"
       }
      ],
      "title": "Description"
     },
     "id": {
      "title": "Id",
      "type": "integer"
     },
     "owner_id": {
      "title": "Owner Id",
      "type": "integer"
     },
     "price_cents": {
      "description": "Price in cents",
      "examples": [
       1999
      ],
      "minimum": 0.0,
      "title": "Price Cents",
      "type": "integer"
     },
     "title": {
      "examples": [
       "Desk lamp"
      ],
      "maxLength": 200,
      "minLength": 1,
      "title": "Title",
      "type": "string"
     }
    },
    "required": [
     "title",
     "price_cents",
     "id",
     "owner_id",
     "created_at"
    ],
    "title": "ItemResponse",
    "type": "object"
   },
   "ItemUpdate": {
    "properties": {
     "description": {
      "anyOf": [
       {
        "maxLength": 1000,
        "type": "string"
       },
       {
        "type": "null"
       }
      ],
      "title": "Description"
     },
     "price_cents": {
      "anyOf": [
       {
        "minimum": 0.0,
        "type": "integer"
       },
       {
        "type": "null"
       }
      ],
      "title": "Price Cents"
     },
     "title": {
      "anyOf": [
       {
        "maxLength": 200,
        "minLength": 1,
        "type": "string"
       },
       {
        "type": "null"
       }
      ],
      "title": "Title"
     }
    },
    "title": "ItemUpdate",
    "type": "object"
   },
   "UserCreate": {
    "properties": {
     "email": {
      "examples": [
       "ada@example.com"
      ],
      "format": "email",
      "title": "Email",
      "type": "string"
     },
     "full_name": {
      "examples": [
       "Ada Lovelace"
      ],
      "maxLength": 100,
      "minLength": 1,
      "title": "Full Name",
      "type": "string"
     }
    },
    "required": [
     "email",
     "full_name"
    ],
    "title": "UserCreate",
    "type": "object"
   },
   "UserResponse": {
    "properties": {
     "created_at": {
      "format": "date-time",
      "title": "Created At",
      "type": "string"
     },
     "email": {
      "format": "email",
      "title": "Email",
      "type": "string"
     },
     "full_name": {
      "title": "Full Name",
      "type": "string"
     },
     "id": {
      "title": "Id",
      "type": "integer"
     },
     "is_active": {
      "title": "Is Active",
      "type": "boolean"
     }
    },
    "required": [
     "id",
     "email",
     "full_name",
     "is_active",
     "created_at"
    ],
    "title": "UserResponse",
    "type": "object"
   },
   "ValidationError": {
    "properties": {
     "ctx": {
      "title": "Context",
      "type": "object"
     },
     "input": {
      "title": "Input"
     },
     "loc": {
      "items": {
       "anyOf": [
        {
         "type": "string"
        },
        {
         "type": "integer"
        }
       ]
      },
      "title": "Location",
      "type": "array"
     },
     "msg": {
      "title": "Message",
      "type": "string"
     },
     "type": {
      "title": "Error Type",
      "type": "string"
     }
    },
    "required": [
     "loc",
     "msg",
     "type"
    ],
    "title": "ValidationError",
    "type": "object"
   }
  }
 },
 "info": {
  "title": "Inventory API",
  "version": "1.0.0"
 },
 "openapi": "3.1.0",
 "paths": {
  "/api/v1/items": {
   "get": {
    "description": "Items ordered by id, optionally filtered by owner.",
    "operationId": "list_items_api_v1_items_get",
    "parameters": [
     {
      "description": "Only this owner's items",
      "in": "query",
      "name": "owner_id",
      "required": false,
      "schema": {
       "anyOf": [
        {
         "type": "integer"
        },
        {
         "type": "null"
        }
       ],
       "description": "Only this owner's items",
       "title": "Owner Id"
      }
     },
     {
      "in": "query",
      "name": "limit",
      "required": false,
      "schema": {
       "default": 50,
       "maximum": 100,
       "minimum": 1,
       "title": "Limit",
       "type": "integer"
      }
     },
     {
      "in": "query",
      "name": "offset",
      "required": false,
      "schema": {
       "default": 0,
       "minimum": 0,
       "title": "Offset",
       "type": "integer"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "items": {
          "$ref": "#/components/schemas/ItemResponse"
         },
         "title": "Response List Items Api V1 Items Get",
         "type": "array"
        }
       }
      },
      "description": "Successful Response"
     },
     "422": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPValidationError"
        }
       }
      },
      "description": "Validation Error"
     }
    },
    "summary": "List items",
    "tags": [
     "items"
    ]
   },
   "post": {
    "description": "Create an item owned by an existing user.",
    "operationId": "create_item_api_v1_items_post",
    "requestBody": {
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/ItemCreate"
       }
      }
     },
     "required": true
    },
    "responses": {
     "201": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ItemResponse"
        }
       }
      },
      "description": "Successful Response"
     },
     "404": {
      "description": "Owner not found"
     },
     "422": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPValidationError"
        }
       }
      },
      "description": "Validation Error"
     }
    },
    "summary": "Create an item",
    "tags": [
     "items"
    ]
   }
  },
  "/api/v1/items/{item_id}": {
   "delete": {
    "operationId": "delete_item_api_v1_items__item_id__delete",
    "parameters": [
     {
      "in": "path",
      "name": "item_id",
      "required": true,
      "schema": {
       "title": "Item Id",
       "type": "integer"
      }
     }
    ],
    "responses": {
     "204": {
      "description": "Successful Response"
     },
     "404": {
      "description": "Item not found"
     },
     "422": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPValidationError"
        }
       }
      },
      "description": "Validation Error"
     }
    },
    "summary": "Delete an item",
    "tags": [
     "items"
    ]
   },
   "get": {
    "operationId": "get_item_api_v1_items__item_id__get",
    "parameters": [
     {
      "in": "path",
      "name": "item_id",
      "required": true,
      "schema": {
       "title": "Item Id",
       "type": "integer"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ItemResponse"
        }
       }
      },
      "description": "Successful Response"
     },
     "404": {
      "description": "Item not found"
     },
     "422": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPValidationError"
        }
       }
      },
      "description": "Validation Error"
     }
    },
    "summary": "Get an item",
    "tags": [
     "items"
    ]
   },
   "patch": {
    "description": "Partial update: only the fields sent are changed.",
    "operationId": "update_item_api_v1_items__item_id__patch",
    "parameters": [
     {
      "in": "path",
      "name": "item_id",
      "required": true,
      "schema": {
       "title": "Item Id",
       "type": "integer"
      }
     }
    ],
    "requestBody": {
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/ItemUpdate"
       }
      }
     },
     "required": true
    },
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ItemResponse"
        }
       }
      },
      "description": "Successful Response"
     },
     "404": {
      "description": "Item not found"
     },
     "422": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPValidationError"
        }
       }
      },
      "description": "Validation Error"
     }
    },
    "summary": "Update an item",
    "tags": [
     "items"
    ]
   }
  },
  "/api/v1/users": {
   "get": {
    "description": "Users ordered by id.",
    "operationId": "list_users_api_v1_users_get",
    "parameters": [
     {
      "in": "query",
      "name": "limit",
      "required": false,
      "schema": {
       "default": 50,
       "maximum": 100,
       "minimum": 1,
       "title": "Limit",
       "type": "integer"
      }
     },
     {
      "in": "query",
      "name": "offset",
      "required": false,
      "schema": {
       "default": 0,
       "minimum": 0,
       "title": "Offset",
       "type": "integer"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "items": {
          "$ref": "#/components/schemas/UserResponse"
         },
         "title": "Response List Users Api V1 Users Get",
         "type": "array"
        }
       }
      },
      "description": "Successful Response"
     },
     "422": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPValidationError"
        }
       }
      },
      "description": "Validation Error"
     }
    },
    "summary": "List users",
    "tags": [
     "users"
    ]
   },
   "post": {
    "description": "Create a user; e-mail addresses are unique.",
    "operationId": "create_user_api_v1_users_post",
    "requestBody": {
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/UserCreate"
       }
      }
     },
     "required": true
    },
    "responses": {
     "201": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/UserResponse"
        }
       }
      },
      "description": "Successful Response"
     },
     "409": {
      "description": "A user with this email already exists"
     },
     "422": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPValidationError"
        }
       }
      },
      "description": "Validation Error"
     }
    },
    "summary": "Create a user",
    "tags": [
     "users"
    ]
   }
  },
  "/api/v1/users/{user_id}": {
   "get": {
    "operationId": "get_user_api_v1_users__user_id__get",
    "parameters": [
     {
      "in": "path",
      "name": "user_id",
      "required": true,
      "schema": {
       "title": "User Id",
       "type": "integer"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/UserResponse"
        }
       }
      },
      "description": "Successful Response"
     },
     "404": {
      "description": "User not found"
     },
     "422": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPValidationError"
        }
       }
      },
      "description": "Validation Error"
     }
    },
    "summary": "Get a user",
    "tags": [
     "users"
    ]
   }
  },
  "/api/v1/users/{user_id}/items": {
   "get": {
    "description": "Items owned by one user, ordered by id.",
    "operationId": "list_user_items_api_v1_users__user_id__items_get",
    "parameters": [
     {
      "in": "path",
      "name": "user_id",
      "required": true,
      "schema": {
       "title": "User Id",
       "type": "integer"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "items": {
          "$ref": "#/components/schemas/ItemResponse"
         },
         "title": "Response List User Items Api V1 Users  User Id  Items Get",
         "type": "array"
        }
       }
      },
      "description": "Successful Response"
     },
     "404": {
      "description": "User not found"
     },
     "422": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPValidationError"
        }
       }
      },
      "description": "Validation Error"
     }
    },
    "summary": "List a user's items",
    "tags": [
     "users"
    ]
   }
  }
 }
}
"""
)
