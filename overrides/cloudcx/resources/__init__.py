"""The API's resources, one module each, sync and async classes side by side."""

from .users import AsyncUsers, Users

__all__ = ["AsyncUsers", "Users"]
