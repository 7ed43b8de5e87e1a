"""The inline sentiment correction form."""

from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField


class SentimentForm(FlaskForm):
    sentiment = SelectField(
        "Sentiment",
        choices=[("positive", "positive"), ("neutral", "neutral"), ("negative", "negative")],
    )
    submit = SubmitField("Set")
