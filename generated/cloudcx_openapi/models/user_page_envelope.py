from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.user_page import UserPage


T = TypeVar("T", bound="UserPageEnvelope")


@_attrs_define
class UserPageEnvelope:
    """The standard envelope around a page of users, on success: `code` is `"0000"` and
    `data` holds the page. Any other code is an error, answered as an `ErrorEnvelope`
    (`data` is `null`).

    """

    code: str
    """ "0000": success. """
    data: UserPage
    """ One page of users. `number` counts from 0 while the request's `pageIndex` counts from 1. """
    message: None | str | Unset = UNSET
    """ A human-readable message: `null` on success (as in the vendor's example), what went
    wrong on an error.
     """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        data = self.data.to_dict()

        message: None | str | Unset
        if isinstance(self.message, Unset):
            message = UNSET
        else:
            message = self.message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "data": data,
            }
        )
        if message is not UNSET:
            field_dict["message"] = message

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any], strict: bool = False) -> T:
        from ..models.user_page import UserPage  # noqa: PLC0415

        d = dict(src_dict)
        code = d.pop("code")

        data = UserPage.from_dict(d.pop("data"))

        def _parse_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        message = _parse_message(d.pop("message", UNSET))

        user_page_envelope = cls(
            code=code,
            data=data,
            message=message,
        )

        user_page_envelope.additional_properties = d
        return user_page_envelope

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
