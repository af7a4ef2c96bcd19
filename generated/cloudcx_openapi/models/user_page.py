from __future__ import annotations

from collections.abc import Mapping
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.user import User


T = TypeVar("T", bound="UserPage")
_NAMES = (
    "totalPages",
    "totalElements",
    "size",
    "number",
    "numberOfElements",
    "content",
)
_FIELDS = itemgetter(*_NAMES)
_KEYS = frozenset(_NAMES)


@_attrs_define
class UserPage:
    """One page of users. `number` counts from 0 while the request's `pageIndex` counts from 1."""

    total_pages: int
    """ How many pages the whole result has at this page size. """
    total_elements: int
    """ How many users match, over all pages. """
    size: int
    """ The page size that was applied. """
    number: int
    """ This page's number, counting from 0 (`pageIndex` - 1). """
    number_of_elements: int
    """ How many users this page holds. """
    content: list[User]
    """ The users on this page. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        total_pages = self.total_pages

        total_elements = self.total_elements

        size = self.size

        number = self.number

        number_of_elements = self.number_of_elements

        content = []
        for content_item_data in self.content:
            content_item = content_item_data.to_dict()
            content.append(content_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "totalPages": total_pages,
                "totalElements": total_elements,
                "size": size,
                "number": number,
                "numberOfElements": number_of_elements,
                "content": content,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any], strict: bool = False) -> T:
        from ..models.user import User  # noqa: PLC0415

        (
            total_pages,
            total_elements,
            size,
            number,
            number_of_elements,
            content,
        ) = _FIELDS(src_dict)
        if isinstance(total_pages, bool) or not isinstance(total_pages, int):
            raise TypeError("UserPage.totalPages must be an integer, not " + type(total_pages).__name__)

        if isinstance(total_elements, bool) or not isinstance(total_elements, int):
            raise TypeError("UserPage.totalElements must be an integer, not " + type(total_elements).__name__)

        if isinstance(size, bool) or not isinstance(size, int):
            raise TypeError("UserPage.size must be an integer, not " + type(size).__name__)

        if isinstance(number, bool) or not isinstance(number, int):
            raise TypeError("UserPage.number must be an integer, not " + type(number).__name__)

        if isinstance(number_of_elements, bool) or not isinstance(number_of_elements, int):
            raise TypeError("UserPage.numberOfElements must be an integer, not " + type(number_of_elements).__name__)

        if not isinstance(content, list):
            raise TypeError("UserPage.content must be a list, not " + type(content).__name__)
        _from_dict = User.from_dict  # looked up once, not per item
        content = [_from_dict(_item, strict) for _item in content]

        user_page = cls(
            total_pages,
            total_elements,
            size,
            number,
            number_of_elements,
            content,
        )
        if len(src_dict) > 6:
            user_page.additional_properties = {key: value for key, value in src_dict.items() if key not in _KEYS}
        return user_page

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
