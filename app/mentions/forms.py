"""Forms of the mentions and author pages: sentiment correction, contact history."""

from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, SelectChoice, SelectField, SubmitField, TextAreaField
from wtforms.validators import Optional

from app.crm.models import CHANNELS as CONTACT_CHANNELS


class SentimentForm(FlaskForm):
    sentiment = SelectField(
        "Sentiment",
        choices=[SelectChoice(label) for label in ("positive", "neutral", "negative")],
    )
    submit = SubmitField("Set")


class ContactForm(FlaskForm):
    """Log one outreach touch with an author; the contacts service checks the values."""

    # The service names a bad channel, note or time in its own words (validate_choice off).
    channel = SelectField(
        "Channel",
        choices=[SelectChoice(key, label) for key, label in CONTACT_CHANNELS.items()],
        validate_choice=False,
    )
    contacted_at = DateTimeLocalField(
        "When",
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[Optional()],
        description="Leave empty for now.",
    )
    note = TextAreaField("Note")
    submit = SubmitField("Log contact")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="contact", **kwargs)


class ContactDeleteForm(FlaskForm):
    """Delete one contact entry (CSRF only)."""

    submit = SubmitField("Delete")
