"""The API's data types, as generated from the OpenAPI document, under stable names."""

from cloudcx_openapi.models.user import User
from cloudcx_openapi.models.user_page import UserPage

from ._oauth import Token

__all__ = ["Token", "User", "UserPage"]
