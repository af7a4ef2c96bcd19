"""The main job: start the bundled CloudCX simulator and list its users through the client.

Run with `make demo`. The client logs in with the OAuth2 password grant, exactly as it would
against a real CloudCX server, and prints the first page of the directory as a table.
"""

from __future__ import annotations

import sys

from cloudcx import CloudCX, CloudCXError, User
from cloudcx.testing import Simulator

COLUMNS = ("loginCode", "firstName", "lastName", "email", "roles", "phoneNumber")


def _row(user: User) -> tuple[str, ...]:
    return (
        user.login_code,
        user.first_name,
        user.last_name,
        user.email,
        ", ".join(user.roles),
        user.phone_number or "-",
    )


def _table(users: list[User]) -> str:
    rows = [COLUMNS, *(_row(user) for user in users)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


def main() -> int:
    """Start the simulator, log in with the password grant, and print the first page."""
    with Simulator() as sim:
        print(f"CloudCX simulator listening on {sim.base_url}\n")
        try:
            with CloudCX(
                base_url=sim.base_url,
                token_url=sim.token_url,
                client_id=sim.client_id,
                client_secret=sim.client_secret,
                username=sim.username,
                password=sim.password,
            ) as cx:
                page = cx.users.list(page_index=1, page_size=25)
        except CloudCXError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(_table(list(page.content)))
        print(
            f"\npage {page.number + 1} of {page.total_pages}: "
            f"{page.number_of_elements} of {page.total_elements} users "
            f"(token requests: {sim.token_requests})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
