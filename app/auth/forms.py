"""Forms for signing in, accepting invitations and managing one's account."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from app.i18n import LANGUAGES
from app.services.users import MIN_PASSWORD_LENGTH

PASSWORD_HELP = _l(
    "At least %(count)s characters and hard to guess: a few uncommon words work well.",
    count=MIN_PASSWORD_LENGTH,
)


class LoginForm(FlaskForm):
    email = StringField(
        _l("E-mail"), validators=[DataRequired()], render_kw={"autocomplete": "username"}
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired()], render_kw={"autocomplete": "current-password"}
    )
    remember = BooleanField(_l("Keep me signed in"))
    submit = SubmitField(_l("Sign in"))


class JoinForm(FlaskForm):
    """Accept an invitation as a new user."""

    name = StringField(_l("Your name"), validators=[Length(max=200)])
    password = PasswordField(
        _l("Choose a password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH)],
        description=PASSWORD_HELP,
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[EqualTo("password", message=_l("the passwords differ"))],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Join"))


class AcceptForm(FlaskForm):
    """Accept an invitation as the signed-in user."""

    submit = SubmitField(_l("Join the workspace"))


class TokenForm(FlaskForm):
    name = StringField(
        _l("Token name"),
        validators=[DataRequired(), Length(max=100)],
        description=_l("What will use it, e.g. “monitoring export script”."),
    )
    submit = SubmitField(_l("Create token"))


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH)],
        description=_l(
            "At least %(count)s characters and hard to guess: a few uncommon words work well. "
            "Every other browser signed in as you is signed out.",
            count=MIN_PASSWORD_LENGTH,
        ),
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[EqualTo("password", message=_l("the passwords differ"))],
    )
    submit = SubmitField(_l("Change password"))


class LanguageForm(FlaskForm):
    """The person's interface language; empty: the workspace's, then the browser's."""

    language = SelectField(_l("Language"), choices=[], validate_choice=True)
    submit = SubmitField(_l("Save language"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = [SelectChoice("", _l("As the workspace or the browser says"))] + [
            SelectChoice(code, name) for code, name in LANGUAGES.items()
        ]


class SignOutEverywhereForm(FlaskForm):
    """Close every session of the user (CSRF only)."""

    submit = SubmitField(_l("Sign out everywhere"))


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for buttons that POST."""

    submit = SubmitField(_l("OK"))
