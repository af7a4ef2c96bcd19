from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.error_envelope_data_type_0 import ErrorEnvelopeDataType0


T = TypeVar("T", bound="ErrorEnvelope")


@_attrs_define
class ErrorEnvelope:
    """**Assumption.** The standard envelope carrying an error: a `code` other than `"0000"`,
    and `data` always `null`. The vendor shows only the success envelope.

    """

    code: str
    """ The error code; never `"0000"`. """
    data: ErrorEnvelopeDataType0 | None
    """ Always `null` on an error. (OpenAPI 3.0 cannot say "only `null`" in a form every
    generator reads: an empty object is the closest it allows.)
     """
    message: None | str | Unset = UNSET
    """ A human-readable message: `null` on success (as in the vendor's example), what went
    wrong on an error.
     """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.error_envelope_data_type_0 import ErrorEnvelopeDataType0  # noqa: PLC0415

        code = self.code

        data: dict[str, Any] | None
        if isinstance(self.data, ErrorEnvelopeDataType0):
            data = self.data.to_dict()
        else:
            data = self.data

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
        from ..models.error_envelope_data_type_0 import ErrorEnvelopeDataType0  # noqa: PLC0415

        d = dict(src_dict)
        code = d.pop("code")

        def _parse_data(data: object) -> ErrorEnvelopeDataType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_type_0 = ErrorEnvelopeDataType0.from_dict(data)

                return data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ErrorEnvelopeDataType0 | None, data)

        data = _parse_data(d.pop("data"))

        def _parse_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        message = _parse_message(d.pop("message", UNSET))

        error_envelope = cls(
            code=code,
            data=data,
            message=message,
        )

        error_envelope.additional_properties = d
        return error_envelope

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
