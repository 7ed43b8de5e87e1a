"""Forms for workspaces, members and uploads."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileRequired, MultipleFileField
from wtforms import (
    BooleanField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, Regexp

from app.i18n import LANGUAGES
from app.ingest import FORMATS
from app.labels import LABELS
from app.models import ROLES

SLUG_HELP = _l("Used in addresses: lower-case letters, digits and dashes, e.g. “acme-ru”.")
TIME = Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", message=_l("use 24-hour time like 09:00"))
WEEKDAYS = [
    SelectChoice(str(number), label)
    for number, label in enumerate(
        (_l("Mon"), _l("Tue"), _l("Wed"), _l("Thu"), _l("Fri"), _l("Sat"), _l("Sun")), start=1
    )
]


class WorkspaceSettingsForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    brand_terms = TextAreaField(
        _l("Brand terms"),
        description=_l(
            "One per line (or separated by commas): names, products, misspellings. "
            "Mentions containing them get them as topics."
        ),
    )
    brand_hashtags_apart = BooleanField(
        _l("Keep brand terms apart from their hashtags"),
        description=_l(
            "Unticked, a one-word brand term and its hashtag are one topic: “Python” and "
            "“#python” count as #python. Ticked, they are two topics. Changing this regroups "
            "the topics of the mentions already imported, in the background, and then recomputes "
            "the scores. A post whose text names the term gets the term; it keeps the hashtag "
            "if its text carries it. A hashtag given only in an import’s tags column, on a post "
            "whose text also names the term, cannot be told apart and becomes the term."
        ),
    )
    timezone = StringField(
        _l("Time zone"), default="UTC", validators=[DataRequired()],
        description=_l("IANA name, e.g. Europe/Moscow or America/New_York."),
    )  # fmt: skip
    work_start = StringField(_l("Working hours start"), default="09:00", validators=[TIME])
    work_end = StringField(_l("Working hours end"), default="18:00", validators=[TIME])
    work_days = SelectMultipleField(
        _l("Working days"), choices=WEEKDAYS, coerce=int, default=[1, 2, 3, 4, 5]
    )
    score_window_days = IntegerField(
        _l("Scoring window (days)"),
        default=90,
        validators=[
            Optional(),
            NumberRange(min=1, max=36500, message=_l("between 1 and 36,500 days")),
        ],
        description=_l(
            "Authors are scored on the mentions of this many days before the newest one."
        ),
    )
    expected_languages = StringField(
        _l("Expected languages"),
        validators=[Length(max=200)],
        description=_l(
            "Two-letter codes, e.g. “ru, en”. Short posts whose language the detector "
            "is unsure of are read as one of these. Leave empty to let each import judge by its posts."
        ),
    )
    # The service checks the value; a form posted without it keeps "each browser's".
    language = SelectField(
        _l("Language of the workspace"),
        choices=[],
        validate_choice=False,
        description=_l(
            "For members who have not chosen a language on their account page; "
            "otherwise each browser’s language decides."
        ),
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.language is None:  # the creation form leaves it out
            return
        self.language.choices = [SelectChoice("", _l("Each browser’s language"))] + [
            SelectChoice(code, name) for code, name in LANGUAGES.items()
        ]


class WorkspaceCreateForm(WorkspaceSettingsForm):
    slug = StringField(
        _l("Workspace id"),
        validators=[DataRequired(), Regexp(r"^[a-z0-9][a-z0-9\-]{0,62}$", message=SLUG_HELP)],
        description=SLUG_HELP,
    )
    language = None  # chosen later in the settings
    brand_hashtags_apart = None
    submit = SubmitField(_l("Create workspace"))


class InviteForm(FlaskForm):
    email = StringField(_l("E-mail"), validators=[DataRequired(), Email()])
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(role, LABELS["member"][role]) for role in ROLES],
        default="agent",
    )
    submit = SubmitField(_l("Invite"))


class RoleForm(FlaskForm):
    role = SelectField(
        _l("Role"), choices=[SelectChoice(role, LABELS["member"][role]) for role in ROLES]
    )
    submit = SubmitField(_l("Change"))


class UploadForm(FlaskForm):
    files = MultipleFileField(
        _l("Files"),
        validators=[FileRequired(_l("choose at least one file"))],
    )
    format = SelectField(
        _l("Format"),
        choices=[SelectChoice("auto", _l("Detect automatically"))]
        + [SelectChoice(name) for name in FORMATS],
        default="auto",
    )
    submit = SubmitField(_l("Import"))
