"""The inline sentiment correction form."""

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, SubmitField


class SentimentForm(FlaskForm):
    sentiment = SelectField(
        "Sentiment",
        choices=[SelectChoice(label) for label in ("positive", "neutral", "negative")],
    )
    submit = SubmitField("Set")
