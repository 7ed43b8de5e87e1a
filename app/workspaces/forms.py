"""Forms for workspaces, members and uploads."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileRequired, MultipleFileField
from wtforms import (
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, Regexp

from app.ingest import FORMATS
from app.models import ROLES

SLUG_HELP = "Used in addresses: lower-case letters, digits and dashes, e.g. “acme-ru”."
TIME = Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", message="use 24-hour time like 09:00")
WEEKDAYS = [
    SelectChoice(str(number), label)
    for number, label in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), start=1)
]


class WorkspaceSettingsForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    brand_terms = TextAreaField(
        "Brand terms",
        description="One per line (or separated by commas): names, products, misspellings. "
        "Mentions containing them get them as topics.",
    )
    timezone = StringField(
        "Time zone", default="UTC", validators=[DataRequired()],
        description="IANA name, e.g. Europe/Moscow or America/New_York.",
    )  # fmt: skip
    work_start = StringField("Working hours start", default="09:00", validators=[TIME])
    work_end = StringField("Working hours end", default="18:00", validators=[TIME])
    work_days = SelectMultipleField(
        "Working days", choices=WEEKDAYS, coerce=int, default=[1, 2, 3, 4, 5]
    )
    score_window_days = IntegerField(
        "Scoring window (days)",
        default=90,
        validators=[Optional(), NumberRange(min=1, max=36500, message="between 1 and 36,500 days")],
        description="Authors are scored on the mentions of this many days before the newest one.",
    )
    expected_languages = StringField(
        "Expected languages",
        validators=[Length(max=200)],
        description="Two-letter codes, e.g. “ru, en”. Short posts whose language the detector "
        "is unsure of are read as one of these. Leave empty to let each import judge by its posts.",
    )
    submit = SubmitField("Save")


class WorkspaceCreateForm(WorkspaceSettingsForm):
    slug = StringField(
        "Workspace id",
        validators=[DataRequired(), Regexp(r"^[a-z0-9][a-z0-9\-]{0,62}$", message=SLUG_HELP)],
        description=SLUG_HELP,
    )
    submit = SubmitField("Create workspace")


class InviteForm(FlaskForm):
    email = StringField("E-mail", validators=[DataRequired(), Email()])
    role = SelectField("Role", choices=[SelectChoice(role) for role in ROLES], default="agent")
    submit = SubmitField("Invite")


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=[SelectChoice(role) for role in ROLES])
    submit = SubmitField("Change")


class UploadForm(FlaskForm):
    files = MultipleFileField(
        "Files",
        validators=[FileRequired("choose at least one file")],
        description="Up to {limit} in all (the server's limit); gzip-compressed files count "
        "at their compressed size.",
    )
    format = SelectField(
        "Format",
        choices=[SelectChoice("auto", "Detect automatically")] + [SelectChoice(name) for name in FORMATS],
        default="auto",
    )
    submit = SubmitField("Import")
