"""Contains all the data models used in inputs/outputs"""

from .error_envelope import ErrorEnvelope
from .grant_type import GrantType
from .o_auth_error import OAuthError
from .token_request import TokenRequest
from .token_response import TokenResponse
from .user import User
from .user_page import UserPage
from .user_page_envelope import UserPageEnvelope

__all__ = (
    "ErrorEnvelope",
    "GrantType",
    "OAuthError",
    "TokenRequest",
    "TokenResponse",
    "User",
    "UserPage",
    "UserPageEnvelope",
)
