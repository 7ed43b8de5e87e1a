"""The dashboard: a workspace's home page, the first page after sign-in.

For a period (by default the 30 days up to the newest mention, in the workspace's time zone)
it shows mentions per day, net sentiment and the advocacy score as series (a chart and a
table of the same numbers), the open crisis alerts, the top advocates to recruit, the member's
people losing touch and the running campaigns; each number links to the list behind it.
Everything is read through other domains' service functions
(:mod:`app.advocacy.services.figures` over the daily pre-aggregate, the alerts, and the
relationship manager's My day and campaigns): see :mod:`app.dashboard.services`.
"""

from flask import Blueprint

bp = Blueprint("dashboard", __name__, template_folder="templates")

from app.dashboard import routes  # noqa: E402,F401
