"""Forms of the advocacy pages: the workspace's advocacy settings."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional


class AdvocacySettingsForm(FlaskForm):
    """Competitors tracked for share of voice, and the webhook crisis alerts go to."""

    competitors = TextAreaField(
        "Competitors",
        validators=[Optional(), Length(max=20_000)],
        description="One a line: the competitor's name, then other terms that name it, "
        "separated by commas (Globex, globex.com, #globex).",
    )
    webhook_url = StringField(
        "Alert webhook URL",
        validators=[Optional(), Length(max=1000)],
        description="Each new crisis alert is POSTed here as JSON, signed with HMAC-SHA256 "
        "(header X-Influence-Signature). Leave empty to send nothing.",
    )
    new_secret = BooleanField("Make a new signing secret")
    submit = SubmitField("Save")
