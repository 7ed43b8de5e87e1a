"""Forms of the influencer pages: recompute, and a person's verdict on a suspicious account."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, SubmitField

VERDICTS = (
    ("not_bot", _l("Not a bot")),
    ("bot", _l("Confirmed bot")),
    ("clear", _l("Clear verdict")),
)


class RecomputeForm(FlaskForm):
    """The Recompute button (CSRF only); the page to come back to is posted as ``next``."""

    submit = SubmitField(_l("Recompute"))


class BotVerdictForm(FlaskForm):
    """A person's verdict on an account: not a bot, a bot, or no verdict."""

    verdict = SelectField(
        _l("Verdict"), choices=[SelectChoice(value, label) for value, label in VERDICTS]
    )
    submit = SubmitField(_l("Save"))
