from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="User")


@_attrs_define
class User:
    """A contact-centre user (agent, supervisor or administrator)."""

    id: UUID
    """ The user's unique ID. """
    login_code: str
    """ The name the user logs in with. """
    roles: list[str]
    """ The user's roles, for example `Admin` and `Agents`. """
    first_name: str
    """ Given name. """
    last_name: str
    """ Family name. """
    email: str
    """ E-mail address. """
    phone_number: None | str
    """ Phone number, or `null` when none is set. """
    unique_code: None | str
    """ An external reference code, or `null` when none is set. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        login_code = self.login_code

        roles = self.roles

        first_name = self.first_name

        last_name = self.last_name

        email = self.email

        phone_number: None | str
        phone_number = self.phone_number

        unique_code: None | str
        unique_code = self.unique_code

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "loginCode": login_code,
                "roles": roles,
                "firstName": first_name,
                "lastName": last_name,
                "email": email,
                "phoneNumber": phone_number,
                "uniqueCode": unique_code,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        login_code = d.pop("loginCode")

        roles = cast(list[str], d.pop("roles"))

        first_name = d.pop("firstName")

        last_name = d.pop("lastName")

        email = d.pop("email")

        def _parse_phone_number(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        phone_number = _parse_phone_number(d.pop("phoneNumber"))

        def _parse_unique_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        unique_code = _parse_unique_code(d.pop("uniqueCode"))

        user = cls(
            id=id,
            login_code=login_code,
            roles=roles,
            first_name=first_name,
            last_name=last_name,
            email=email,
            phone_number=phone_number,
            unique_code=unique_code,
        )

        user.additional_properties = d
        return user

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
