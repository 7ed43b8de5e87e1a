"""Forms of the mentions and author pages: sentiment correction, contact history."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, SelectChoice, SelectField, SubmitField, TextAreaField
from wtforms.validators import Optional

from app.crm.models import CHANNELS as CONTACT_CHANNELS
from app.labels import LABELS


class SentimentForm(FlaskForm):
    sentiment = SelectField(
        _l("Sentiment"),
        choices=[
            SelectChoice(key, LABELS["sentiment"][key])
            for key in ("positive", "neutral", "negative")
        ],
    )
    submit = SubmitField(_l("Set"))


class ContactForm(FlaskForm):
    """Log one outreach touch with an author; the contacts service checks the values."""

    # The service names a bad channel, note or time in its own words (validate_choice off).
    channel = SelectField(
        _l("Channel"),
        choices=[
            SelectChoice(key, LABELS["channel"].get(key, label))
            for key, label in CONTACT_CHANNELS.items()
        ],
        validate_choice=False,
    )
    contacted_at = DateTimeLocalField(
        _l("When"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[Optional()],
        description=_l("Leave empty for now."),
    )
    note = TextAreaField(_l("Note"))
    submit = SubmitField(_l("Log contact"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="contact", **kwargs)


class ContactDeleteForm(FlaskForm):
    """Delete one contact entry (CSRF only)."""

    submit = SubmitField(_l("Delete"))
