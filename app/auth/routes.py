"""Views for signing in and out, invitations and the account page."""

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.security import check_password_hash

from app.auth import bp
from app.auth.forms import AcceptForm, EmptyForm, JoinForm, LoginForm, PasswordForm, TokenForm
from app.extensions import db, login_manager
from app.models import User
from app.services import users as user_service
from app.services import workspaces as workspace_service
from app.services.errors import ServiceError


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id))


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


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("workspaces.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = user_service.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
        flash("Wrong e-mail or password.", "error")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token: str):
    try:
        invite = workspace_service.find_invitation(token)
    except ServiceError as error:
        return render_template("auth/invitation_invalid.html", reason=str(error)), 404
    if current_user.is_authenticated:
        form = AcceptForm()
        if form.validate_on_submit():
            workspace_service.accept_invitation(invite, current_user)
            flash(f"You joined {invite.workspace.name} as {invite.role}.", "success")
            return redirect(url_for("mentions.index", slug=invite.workspace.slug))
        return render_template("auth/invitation.html", invite=invite, form=form, join=False)
    if user_service.get_by_email(invite.email) is not None:
        flash("You already have an account: sign in, then open the invitation link again.", "info")
        return redirect(url_for("auth.login", next=request.path))
    form = JoinForm()
    if form.validate_on_submit():
        try:
            user = user_service.create_user(invite.email, form.password.data, form.name.data or "")
        except ServiceError as error:
            flash(str(error), "error")
        else:
            workspace_service.accept_invitation(invite, user)
            login_user(user)
            flash(f"Welcome! You joined {invite.workspace.name} as {invite.role}.", "success")
            return redirect(url_for("mentions.index", slug=invite.workspace.slug))
    return render_template("auth/invitation.html", invite=invite, form=form, join=True)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    token_form = TokenForm(prefix="token")
    password_form = PasswordForm(prefix="password")
    new_token = None
    if token_form.submit.data and token_form.validate_on_submit():
        try:
            _, new_token = user_service.create_token(current_user, token_form.name.data)
            token_form.name.data = ""
        except ServiceError as error:
            flash(str(error), "error")
    elif password_form.submit.data and password_form.validate_on_submit():
        if not check_password_hash(current_user.password_hash, password_form.current.data):
            flash("The current password is wrong.", "error")
        else:
            user_service.set_password(current_user, password_form.password.data)
            flash("Your password is changed.", "success")
            return redirect(url_for("auth.account"))
    return render_template(
        "auth/account.html",
        token_form=token_form,
        password_form=password_form,
        new_token=new_token,
        tokens=current_user.tokens,
        revoke_form=EmptyForm(),
    )


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    if EmptyForm().validate_on_submit():
        try:
            user_service.revoke_token(current_user, token_id)
            flash("The token is revoked: programs using it can no longer sign in.", "success")
        except ServiceError as error:
            flash(str(error), "error")
    return redirect(url_for("auth.account"))
