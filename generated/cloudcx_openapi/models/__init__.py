"""Contains all the data models used in inputs/outputs"""

from .error_envelope import ErrorEnvelope
from .error_envelope_data_type_0 import ErrorEnvelopeDataType0
from .grant_type import GrantType
from .o_auth_error import OAuthError
from .password_grant_request import PasswordGrantRequest
from .refresh_token_grant_request import RefreshTokenGrantRequest
from .token_response import TokenResponse
from .user import User
from .user_page import UserPage
from .user_page_envelope import UserPageEnvelope

__all__ = (
    "ErrorEnvelope",
    "ErrorEnvelopeDataType0",
    "GrantType",
    "OAuthError",
    "PasswordGrantRequest",
    "RefreshTokenGrantRequest",
    "TokenResponse",
    "User",
    "UserPage",
    "UserPageEnvelope",
)
