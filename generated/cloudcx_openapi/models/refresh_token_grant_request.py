from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.grant_type import GrantType, check_grant_type
from ..types import UNSET, Unset

T = TypeVar("T", bound="RefreshTokenGrantRequest")


@_attrs_define
class RefreshTokenGrantRequest:
    """**Assumption.** The refresh-token grant (RFC 6749 §6). The vendor says tokens "can be
    renewed using the refresh token" but shows no such request.

    """

    grant_type: GrantType
    """ `password` to log in, `refresh_token` to renew. """
    client_id: str
    """ The OAuth client's ID, from Global Settings > Security > OAuth Client. """
    refresh_token: str = _attrs_field(repr=False)
    """ A refresh token from an earlier token response. """
    client_secret: str | Unset = _attrs_field(default=UNSET, repr=False)
    """ The OAuth client's secret. Sent by confidential clients, in the form body; omitted by
    public clients.
     """
    scope: str | Unset = UNSET
    """ **Assumption.** Space-separated scopes (RFC 6749 §3.3); CloudCX defines none, so this
    is normally absent.
     """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        grant_type: str = self.grant_type

        client_id = self.client_id

        refresh_token = self.refresh_token

        client_secret = self.client_secret

        scope = self.scope

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "grant_type": grant_type,
                "client_id": client_id,
                "refresh_token": refresh_token,
            }
        )
        if client_secret is not UNSET:
            field_dict["client_secret"] = client_secret
        if scope is not UNSET:
            field_dict["scope"] = scope

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any], strict: bool = False) -> T:
        d = dict(src_dict)
        grant_type = check_grant_type(d.pop("grant_type"))

        client_id = d.pop("client_id")

        refresh_token = d.pop("refresh_token")

        client_secret = d.pop("client_secret", UNSET)

        scope = d.pop("scope", UNSET)

        refresh_token_grant_request = cls(
            grant_type=grant_type,
            client_id=client_id,
            refresh_token=refresh_token,
            client_secret=client_secret,
            scope=scope,
        )

        refresh_token_grant_request.additional_properties = d
        return refresh_token_grant_request

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
