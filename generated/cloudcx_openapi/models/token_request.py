from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.grant_type import GrantType, check_grant_type
from ..types import UNSET, Unset

T = TypeVar("T", bound="TokenRequest")


@_attrs_define
class TokenRequest:
    """The token request form (RFC 6749 §4.3.2 and §6). Which fields are required depends on
    `grant_type`: `password` needs `username` and `password`; `refresh_token` needs
    `refresh_token`.

    """

    grant_type: GrantType
    """ `password` to log in, `refresh_token` to renew. """
    client_id: str
    """ The OAuth client's ID, from Global Settings > Security > OAuth Client. """
    client_secret: str | Unset = _attrs_field(default=UNSET, repr=False)
    """ The OAuth client's secret. Sent by confidential clients, in the form body; omitted
    by public clients.
     """
    username: str | Unset = UNSET
    """ The user's login (password grant only). The vendor's Postman walk-through calls
    this field `email`: the value may be the user's e-mail address, but the field name
    is `username`.
     """
    password: str | Unset = _attrs_field(default=UNSET, repr=False)
    """ The user's password (password grant only). """
    refresh_token: str | Unset = _attrs_field(default=UNSET, repr=False)
    """ A refresh token from an earlier token response (refresh grant only). """
    scope: str | Unset = UNSET
    """ Space-separated scopes; CloudCX defines none, so this is normally absent. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        grant_type: str = self.grant_type

        client_id = self.client_id

        client_secret = self.client_secret

        username = self.username

        password = self.password

        refresh_token = self.refresh_token

        scope = self.scope

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "grant_type": grant_type,
                "client_id": client_id,
            }
        )
        if client_secret is not UNSET:
            field_dict["client_secret"] = client_secret
        if username is not UNSET:
            field_dict["username"] = username
        if password is not UNSET:
            field_dict["password"] = password
        if refresh_token is not UNSET:
            field_dict["refresh_token"] = refresh_token
        if scope is not UNSET:
            field_dict["scope"] = scope

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any], strict: bool = False) -> T:
        d = dict(src_dict)
        grant_type = check_grant_type(d.pop("grant_type"))

        client_id = d.pop("client_id")

        client_secret = d.pop("client_secret", UNSET)

        username = d.pop("username", UNSET)

        password = d.pop("password", UNSET)

        refresh_token = d.pop("refresh_token", UNSET)

        scope = d.pop("scope", UNSET)

        token_request = cls(
            grant_type=grant_type,
            client_id=client_id,
            client_secret=client_secret,
            username=username,
            password=password,
            refresh_token=refresh_token,
            scope=scope,
        )

        token_request.additional_properties = d
        return token_request

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
