"""Forms of the influencer pages: recompute, and a person's verdict on a suspicious account."""

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, SubmitField

VERDICTS = (("not_bot", "Not a bot"), ("bot", "Confirmed bot"), ("clear", "Clear verdict"))


class RecomputeForm(FlaskForm):
    """The Recompute button (CSRF only); the page to come back to is posted as ``next``."""

    submit = SubmitField("Recompute")


class BotVerdictForm(FlaskForm):
    """A person's verdict on an account: not a bot, a bot, or no verdict."""

    verdict = SelectField(
        "Verdict", choices=[SelectChoice(value, label) for value, label in VERDICTS]
    )
    submit = SubmitField("Save")
