from typing import Literal

GrantType = Literal["password", "refresh_token"]

GRANT_TYPE_VALUES: set[GrantType] = {
    "password",
    "refresh_token",
}


def check_grant_type(value: str) -> GrantType:
    if value in GRANT_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {GRANT_TYPE_VALUES!r}")
