"""Views for signing in and out, invitations and the account page."""

import math
import time
from urllib.parse import urlsplit

import flask_babel
from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter import RateLimitExceeded
from flask_limiter.util import get_remote_address
from flask_login import (
    current_user,
    login_required,
    login_user,
    logout_user,
    user_loaded_from_cookie,
)
from markupsafe import Markup

from app.auth import bp
from app.auth.forms import (
    AcceptForm,
    EmptyForm,
    JoinForm,
    LanguageForm,
    LoginForm,
    PasswordForm,
    SignOutEverywhereForm,
    TokenForm,
)
from app.extensions import limiter, login_manager
from app.i18n import ngettext
from app.labels import label
from app.models import User
from app.services import sessions as session_service
from app.services import users as user_service
from app.services import workspaces as workspace_service
from app.services.errors import FieldError, ServiceError
from app.web import bdi, home_of


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """Return the user of the open session the cookie names (None signs the browser out)."""
    return session_service.load(session_id)


@user_loaded_from_cookie.connect
def _rotate_remember_token(app, user: User) -> None:
    """The remember cookie restored a session: give it a new token, so the cookie changes
    each time it is used and a copy of an old one stops working a minute later."""
    if session_service.rotate(user):
        session["_user_id"] = user.get_id()
        session["_remember"] = "set"  # Flask-Login writes the new remember cookie
        session["_remember_seconds"] = session_service.seconds_left(user)


def _sign_in(user: User, remember: bool) -> None:
    """Open a new session for ``user`` in this browser."""
    session_service.start(user, remember=remember, user_agent=request.user_agent.string)
    login_user(user, remember=remember)


def _safe_next(target: str | None) -> str:
    """Return ``target`` if it is a path on this site, else the home page (no open redirects)."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("workspaces.index")


def _account_key() -> str:
    """The per-account throttling key: the e-mail being signed in to, as typed (any case)."""
    return "account:" + (request.form.get("email") or "").strip().lower()[:254]


def _failed_sign_in(response) -> bool:
    """Only failed sign-ins count against the limits (the view sets ``g.sign_in_failed``)."""
    return g.get("sign_in_failed", False)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], key_func=_account_key,
    methods=["POST"], deduct_when=_failed_sign_in, scope="login-account",
)  # fmt: skip
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], key_func=get_remote_address,
    methods=["POST"], deduct_when=_failed_sign_in, scope="login-address",
)  # fmt: skip
def login():
    if current_user.is_authenticated:
        return redirect(home_of(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = user_service.authenticate(form.email.data, form.password.data)
        if user is not None:
            _sign_in(user, remember=form.remember.data)
            target = request.args.get("next")
            return redirect(_safe_next(target) if target else home_of(user))
        g.sign_in_failed = True
        flash(_("Wrong e-mail or password."), "error")
    return render_template("auth/login.html", form=form)


@bp.errorhandler(RateLimitExceeded)
def too_many_sign_ins(error):
    """Too many failed sign-ins for this account or from this address: say when to retry."""
    limit = limiter.current_limit  # the limit breached; its window says when a try frees up
    seconds = (limit.window.reset_time - time.time()) if limit else 15 * 60
    minutes = max(1, math.ceil(seconds / 60))
    flash(
        ngettext(
            "Too many failed sign-ins for this account or from this network. "
            "Try again in %(num)s minute.",
            "Too many failed sign-ins for this account or from this network. "
            "Try again in %(num)s minutes.",
            minutes,
        ),
        "error",
    )
    response = current_app.make_response((render_template("auth/login.html", form=LoginForm()), 429))
    response.headers["Retry-After"] = str(minutes * 60)
    return response


@bp.post("/logout")
@login_required
def logout():
    session_service.end(current_user)
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token: str):
    try:
        invite = workspace_service.find_invitation(token)
    except ServiceError as error:
        return render_template("auth/invitation_invalid.html", reason=str(error)), 404
    if current_user.is_authenticated:
        if not workspace_service.invitation_is_for(invite, current_user):
            return render_template("auth/invitation_other.html", invite=invite), 403
        form = AcceptForm()
        if form.validate_on_submit():
            workspace_service.accept_invitation(invite, current_user)
            flash(
                Markup(_("You joined %(workspace)s as %(role)s."))
                % {"workspace": bdi(invite.workspace.name), "role": label("member", invite.role)},
                "success",
            )
            return redirect(url_for("dashboard.index", slug=invite.workspace.slug))
        return render_template("auth/invitation.html", invite=invite, form=form, join=False)
    if user_service.get_by_email(invite.email) is not None:
        flash(
            _("You already have an account: sign in, then open the invitation link again."), "info"
        )
        return redirect(url_for("auth.login", next=request.path))
    form = JoinForm()
    if form.validate_on_submit():
        try:
            user = user_service.create_user(invite.email, form.password.data, form.name.data or "")
        except FieldError as error:
            getattr(form, error.field, form.password).errors.append(str(error))
        except ServiceError as error:
            flash(str(error), "error")
        else:
            workspace_service.accept_invitation(invite, user)
            _sign_in(user, remember=False)
            flash(
                Markup(_("Welcome! You joined %(workspace)s as %(role)s."))
                % {"workspace": bdi(invite.workspace.name), "role": label("member", invite.role)},
                "success",
            )
            return redirect(url_for("dashboard.index", slug=invite.workspace.slug))
    return render_template("auth/invitation.html", invite=invite, form=form, join=True)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    token_form = TokenForm(prefix="token")
    password_form = PasswordForm(prefix="password")
    language_form = LanguageForm(prefix="language")
    new_token = None
    if language_form.submit.data and language_form.validate_on_submit():
        user_service.set_language(current_user, language_form.language.data)
        flask_babel.refresh()  # this answer already speaks the new language
        flash(_("Language saved."), "success")
        return redirect(url_for("auth.account"))
    if not language_form.is_submitted():
        language_form.language.data = current_user.language or ""
    if token_form.submit.data and token_form.validate_on_submit():
        try:
            _token, new_token = user_service.create_token(current_user, token_form.name.data)
            token_form.name.data = ""
        except ServiceError as error:
            flash(str(error), "error")
    elif password_form.submit.data and password_form.validate_on_submit():
        user, remembered = current_user._get_current_object(), current_user.session_record.remember
        try:
            user_service.change_password(user, password_form.current.data, password_form.password.data)
        except FieldError as error:
            getattr(password_form, error.field).errors.append(str(error))
        else:
            _sign_in(user, remember=remembered)  # a new session here; the others are closed
            flash(_("Your password is changed. Every other browser is signed out."), "success")
            return redirect(url_for("auth.account"))
    return render_template(
        "auth/account.html",
        token_form=token_form,
        password_form=password_form,
        language_form=language_form,
        new_token=new_token,
        tokens=current_user.tokens,
        revoke_form=EmptyForm(),
        sign_out_form=SignOutEverywhereForm(prefix="everywhere"),
        open_sessions=session_service.open_sessions(current_user),
        session_days=session_service.SESSION_DAYS,
    )


@bp.post("/account/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    """Close every session of the user, this browser's too (a lost laptop, a shared computer)."""
    if not SignOutEverywhereForm(prefix="everywhere").validate_on_submit():
        flash(_("The form expired: reload the page and try again."), "error")
        return redirect(url_for("auth.account"))
    closed = session_service.end_all(current_user)
    logout_user()
    flash(
        ngettext(
            "You are signed out everywhere (%(num)s browser).",
            "You are signed out everywhere (%(num)s browsers).",
            closed,
        ),
        "info",
    )
    return redirect(url_for("auth.login"))


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    if EmptyForm().validate_on_submit():
        try:
            user_service.revoke_token(current_user, token_id)
            flash(_("The token is revoked: programs using it can no longer sign in."), "success")
        except ServiceError as error:
            flash(str(error), "error")
    return redirect(url_for("auth.account"))
