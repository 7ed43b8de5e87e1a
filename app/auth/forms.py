"""Forms for signing in, accepting invitations and managing one's account."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from app.services.users import MIN_PASSWORD_LENGTH

PASSWORD_HELP = (
    f"At least {MIN_PASSWORD_LENGTH} characters and hard to guess: a few uncommon words work well."
)


class LoginForm(FlaskForm):
    email = StringField(
        "E-mail", validators=[DataRequired()], render_kw={"autocomplete": "username"}
    )
    password = PasswordField(
        "Password", validators=[DataRequired()], render_kw={"autocomplete": "current-password"}
    )
    remember = BooleanField("Keep me signed in")
    submit = SubmitField("Sign in")


class JoinForm(FlaskForm):
    """Accept an invitation as a new user."""

    name = StringField("Your name", validators=[Length(max=200)])
    password = PasswordField(
        "Choose a password",
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH)],
        description=PASSWORD_HELP,
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "Repeat the password",
        validators=[EqualTo("password", message="the passwords differ")],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField("Join")


class AcceptForm(FlaskForm):
    """Accept an invitation as the signed-in user."""

    submit = SubmitField("Join the workspace")


class TokenForm(FlaskForm):
    name = StringField(
        "Token name",
        validators=[DataRequired(), Length(max=100)],
        description="What will use it, e.g. “monitoring export script”.",
    )
    submit = SubmitField("Create token")


class PasswordForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired()])
    password = PasswordField(
        "New password",
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH)],
        description=PASSWORD_HELP + " Every other browser signed in as you is signed out.",
    )
    confirm = PasswordField(
        "Repeat the new password", validators=[EqualTo("password", message="the passwords differ")]
    )
    submit = SubmitField("Change password")


class SignOutEverywhereForm(FlaskForm):
    """Close every session of the user (CSRF only)."""

    submit = SubmitField("Sign out everywhere")


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for buttons that POST."""

    submit = SubmitField("OK")
