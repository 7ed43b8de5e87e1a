"""Forms of the sentiment section of the settings page, and of correcting many mentions."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, HiddenField, SelectChoice, SelectField, SubmitField
from wtforms.validators import AnyOf, DataRequired


class SentimentSettingsForm(FlaskForm):
    learn_from_imported = BooleanField(
        "Imported labels count as corrections",
        description="The sentiment a file brings with it teaches the model as a person's "
        "correction does.",
    )
    submit = SubmitField("Save")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="sentiment", **kwargs)


class TrainForm(FlaskForm):
    """The "Train now" button (CSRF only)."""

    submit = SubmitField("Train now")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="train", **kwargs)


class ModelChoiceForm(FlaskForm):
    """Label the workspace with its learned model, or go back to the base analysers."""

    use = HiddenField(validators=[AnyOf(("model", "base"), message="choose model or base")])
    submit = SubmitField("Switch")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="choice", **kwargs)


class IdListField(Field):
    """Every value posted under the field's name, as mention ids (integers)."""

    def _value(self) -> str:
        return ""

    def process_formdata(self, valuelist):
        self.data = []
        for value in valuelist:
            try:
                self.data.append(int(value))
            except ValueError:
                raise ValueError(f"{str(value)[:20]!r} is not a mention id") from None


class BulkSentimentForm(FlaskForm):
    """Set the sentiment of the mentions ticked on the list (their ids posted as ``ids``)."""

    ids = IdListField("Mentions")
    sentiment = SelectField(
        "Sentiment of the selected mentions",
        choices=[SelectChoice(label) for label in ("positive", "neutral", "negative")],
        validators=[DataRequired()],
    )
    submit = SubmitField("Set on selected")
