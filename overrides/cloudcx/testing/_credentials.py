"""The demo account that every simulator accepts.

The values are fixed so that examples, the demo and users' own tests can hard-code them. They
protect nothing: the simulator is a local test tool.
"""

from __future__ import annotations

#: The demo user's ``loginCode``: the seed's own user, first in every directory.
DEMO_USERNAME = "freesiaTest"
#: The demo user's e-mail address, which logs in as well as :data:`DEMO_USERNAME`.
DEMO_USER_EMAIL = "frees1aa@gmail.com"
#: The demo user's password.
DEMO_PASSWORD = "Aqua-7788"
#: The demo OAuth client's ID (the shape of the seed's ``client_id``).
DEMO_CLIENT_ID = "260390634491792831814845"
#: The demo OAuth client's secret (the shape of the seed's ``client_secret``).
DEMO_CLIENT_SECRET = "6d624c35-978b-4e1a-9c3b-59d727f2ea19"
#: The demo API key, sent as ``Authorization: Bearer <key>``.
DEMO_API_KEY = "cxk_demo_5f3a9c1e7b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d"
