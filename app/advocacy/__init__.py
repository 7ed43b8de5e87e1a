"""Brand advocacy: promoters and detractors, the advocacy score and net sentiment over any
period (by week, month, platform and topic), each author's trajectory, advocates to recruit,
detractors to win back, share of voice against competitors, and crisis alerts with signed
webhooks.

Figures come from :mod:`app.advocacy.services.figures` (one function each), read from a daily
pre-aggregate (:mod:`app.advocacy.services.daily`) that is rebuilt after scoring runs and
sentiment changes; alerts from :mod:`app.advocacy.services.alerts`. Other domains call
:func:`app.advocacy.services.daily.invalidate` when sentiments change, and may read the
figures' functions.
"""

from flask import Blueprint

bp = Blueprint("advocacy", __name__, template_folder="templates")

from app.advocacy import report_views, routes  # noqa: E402,F401
