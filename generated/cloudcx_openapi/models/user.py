from __future__ import annotations

from collections.abc import Mapping
from operator import itemgetter
from typing import Any, TypeVar
from uuid import UUID, SafeUUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="User")
_NAMES = (
    "id",
    "loginCode",
    "roles",
    "firstName",
    "lastName",
    "email",
    "phoneNumber",
    "uniqueCode",
)
_FIELDS = itemgetter(*_NAMES)
_KEYS = frozenset(_NAMES)
# UUID(value) spends ~0.6 us per call on the other spellings it accepts ({...}, urn:uuid:) and
# on object.__setattr__; the canonical spelling is built from the same integer through UUID's
# own slots, at half the cost.
_UUID_NEW = object.__new__
_UUID_SET_INT = UUID.__dict__["int"].__set__
_UUID_SET_SAFE = UUID.__dict__["is_safe"].__set__
_UUID_UNKNOWN = SafeUUID.unknown


def _uuid(value: str) -> UUID:
    """UUID(value), fast for the canonical 8-4-4-4-12 spelling."""
    digits = value.replace("-", "")
    if len(value) != 36 or len(digits) != 32:
        uuid = UUID(value)  # the other spellings ({...}, urn:uuid:...)
        if uuid.hex not in value.lower().replace("-", ""):  # digits padded by "_", "+", " "
            raise ValueError("badly formed hexadecimal UUID string")
        return uuid
    # int(_, 16) also takes "_", a sign, spaces, "0x" and non-ASCII digits: no UUID has them.
    if not (digits.isalnum() and digits.isascii()) or digits[1] in "xX":
        raise ValueError("badly formed hexadecimal UUID string")
    uuid = _UUID_NEW(UUID)
    _UUID_SET_INT(uuid, int(digits, 16))
    _UUID_SET_SAFE(uuid, _UUID_UNKNOWN)
    return uuid


@_attrs_define
class User:
    """A contact-centre user (agent, supervisor or administrator). Every property is present
    in the vendor's example, so each is listed as required. Which may be `null` follows the
    vendor's evidence: its example shows `phoneNumber` and `uniqueCode` as `null`, and
    nothing it says promises that `firstName`, `lastName` or `email` are always set, so
    those may be `null` too; `id` (a UUID), `loginCode` and `roles` identify the user and
    are never `null`. Clients should tolerate a nullable property that is missing and
    properties not listed here.

    """

    id: UUID
    """ The user's unique ID. **Assumption.** That it is always a UUID (the vendor's
    example is one).
     """
    login_code: str
    """ The name the user logs in with. """
    roles: list[str]
    """ The user's roles, for example `Admin` and `Agents`. **Assumption.** The full list
    of roles is not documented, so other names may appear.
     """
    first_name: None | str
    """ Given name, or `null` when none is set. """
    last_name: None | str
    """ Family name, or `null` when none is set. """
    email: None | str
    """ E-mail address, or `null` when none is set. """
    phone_number: None | str
    """ Phone number, or `null` when none is set. """
    unique_code: None | str
    """ An external reference code, or `null` when none is set. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        login_code = self.login_code

        roles = self.roles

        first_name: None | str
        first_name = self.first_name

        last_name: None | str
        last_name = self.last_name

        email: None | str
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
    def from_dict(cls: type[T], src_dict: Mapping[str, Any], strict: bool = False) -> T:
        _complete = True
        try:
            (
                id,
                login_code,
                roles,
                first_name,
                last_name,
                email,
                phone_number,
                unique_code,
            ) = _FIELDS(src_dict)
        except KeyError:
            # Tolerant by default: a nullable field that is missing reads as null.
            if strict:
                raise
            _complete = False
            (
                id,
                login_code,
                roles,
                first_name,
                last_name,
                email,
                phone_number,
                unique_code,
            ) = (
                src_dict["id"],
                src_dict["loginCode"],
                src_dict["roles"],
                src_dict.get("firstName"),
                src_dict.get("lastName"),
                src_dict.get("email"),
                src_dict.get("phoneNumber"),
                src_dict.get("uniqueCode"),
            )
        if not isinstance(id, str):
            raise TypeError("User.id must be a UUID string, not " + type(id).__name__)
        try:
            id = _uuid(id)
        except ValueError:
            raise ValueError("User.id must be a UUID string") from None

        if not isinstance(login_code, str):
            raise TypeError("User.loginCode must be a string, not " + type(login_code).__name__)

        if not isinstance(roles, list):
            raise TypeError("User.roles must be a list, not " + type(roles).__name__)
        for _item in roles:
            if not isinstance(_item, str):
                raise TypeError("User.roles must be a list of strings, not " + type(_item).__name__)

        if first_name is not None and (not isinstance(first_name, str)):
            raise TypeError("User.firstName must be a string or null, not " + type(first_name).__name__)

        if last_name is not None and (not isinstance(last_name, str)):
            raise TypeError("User.lastName must be a string or null, not " + type(last_name).__name__)

        if email is not None and (not isinstance(email, str)):
            raise TypeError("User.email must be a string or null, not " + type(email).__name__)

        if phone_number is not None and (not isinstance(phone_number, str)):
            raise TypeError("User.phoneNumber must be a string or null, not " + type(phone_number).__name__)

        if unique_code is not None and (not isinstance(unique_code, str)):
            raise TypeError("User.uniqueCode must be a string or null, not " + type(unique_code).__name__)

        user = cls(
            id,
            login_code,
            roles,
            first_name,
            last_name,
            email,
            phone_number,
            unique_code,
        )
        # With a field missing, the count of keys no longer tells whether extra ones came.
        if len(src_dict) > 8 or not _complete:
            user.additional_properties = {key: value for key, value in src_dict.items() if key not in _KEYS}
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
