"""`Simulator(users=[...])`: the chosen users, completed and checked, served in order."""

from __future__ import annotations

from typing import Any

import pytest

from cloudcx import CloudCX
from cloudcx.testing import Simulator, SimulatorProcess


def test_chosen_users_are_served_in_order_through_the_client() -> None:
    chosen: list[dict[str, Any]] = [
        {"loginCode": "ada", "firstName": "Ada", "roles": ["Admin"]},
        {"loginCode": "grace", "email": "grace@navy.example", "phoneNumber": "+1-555-0100"},
    ]
    with Simulator(users=chosen) as sim, CloudCX(base_url=sim.base_url, api_key=sim.api_key) as cx:
        page = cx.users.list()
        assert [user.login_code for user in page.content] == ["ada", "grace"]
        ada, grace = page.content
        assert ada.first_name == "Ada"
        assert ada.roles == ["Admin"]
        assert ada.email == "ada@example.com"
        assert grace.email == "grace@navy.example"
        assert grace.phone_number == "+1-555-0100"
        assert grace.roles == ["Agents"]
        assert ada.id != grace.id
        assert cx.users.list(keywords="navy").total_elements == 1
        sim.add_users(2)
        assert cx.users.list().total_elements == 4


def test_an_empty_list_is_an_empty_directory() -> None:
    with Simulator(users=[]) as sim, CloudCX(base_url=sim.base_url, api_key=sim.api_key) as cx:
        assert cx.users.list().total_elements == 0


@pytest.mark.parametrize(
    ("users", "message"),
    [
        ([{"firstName": "no login"}], r"users\[0\] needs a non-empty string loginCode"),
        ([{"loginCode": "a"}, {"loginCode": "b", "age": 3}], r"users\[1\] has unknown fields"),
        ([{"loginCode": "a", "roles": "Admin"}], r"users\[0\]\.roles must be a list"),
        ([{"loginCode": "a", "phoneNumber": 5}], r"users\[0\]\.phoneNumber must be a string"),
        (["ada"], r"users\[0\] must be a mapping"),
    ],
)
def test_a_malformed_user_is_refused_by_position(users: list[Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Simulator(users=users)


def test_the_subprocess_simulator_takes_a_count_only() -> None:
    with pytest.raises(ValueError, match="in-process Simulator"):
        SimulatorProcess(users=[{"loginCode": "ada"}]).start()
