"""Views for the workspace list, settings, members and imports."""

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from app.auth.forms import EmptyForm
from app.sentiment import services as sentiment_service
from app.sentiment.forms import ModelChoiceForm, SentimentSettingsForm, TrainForm
from app.services import ingest as ingest_service
from app.services import workspaces as workspace_service
from app.services.errors import ServiceError
from app.web import bdi, filesize, workspace_view
from app.workspaces import bp
from app.workspaces.forms import (
    InviteForm,
    RoleForm,
    UploadForm,
    WorkspaceCreateForm,
    WorkspaceSettingsForm,
)


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    form = WorkspaceCreateForm()
    if form.validate_on_submit():
        try:
            workspace = workspace_service.create_workspace(
                form.slug.data, form.name.data, owner=current_user,
                brand_terms=form.brand_terms.data or "", timezone=form.timezone.data,
                work_start=form.work_start.data, work_end=form.work_end.data,
            )  # fmt: skip
        except ServiceError as error:
            flash(str(error), "error")
        else:
            flash(
                Markup(_("Workspace %(name)s created. Import mentions to begin."))
                % {"name": bdi(workspace.name)},
                "success",
            )
            return redirect(url_for("workspaces.import_form", slug=workspace.slug))
    accesses = workspace_service.workspaces_of(current_user)
    return render_template("workspaces/index.html", accesses=accesses, form=form)


@bp.route("/w/<slug>/settings", methods=["GET", "POST"])
@workspace_view()
def settings(access):
    workspace = access.workspace
    form = WorkspaceSettingsForm(obj=workspace)
    if not form.is_submitted():
        form.brand_terms.data = "\n".join(workspace.brand_terms or [])
        form.expected_languages.data = ", ".join(workspace.expected_languages or [])
        form.language.data = workspace.language or ""
    apart_before = workspace.brand_hashtags_apart
    if form.validate_on_submit():
        if not access.allows("manager"):
            abort(403, _("only managers and owners change workspace settings"))
        try:
            workspace_service.update_workspace(
                workspace, name=form.name.data, brand_terms=form.brand_terms.data or "",
                timezone=form.timezone.data, work_start=form.work_start.data,
                work_end=form.work_end.data, work_days=form.work_days.data,
                score_window_days=form.score_window_days.data,
                expected_languages=form.expected_languages.data or "",
                brand_hashtags_apart=form.brand_hashtags_apart.data,
            )  # fmt: skip
            workspace_service.set_language(workspace, form.language.data)
        except ServiceError as error:
            flash(str(error), "error")
        else:
            flash(
                _(
                    "Settings saved. New brand terms and expected languages apply to mentions"
                    " imported from now on."
                ),
                "success",
            )
            if apart_before != workspace.brand_hashtags_apart:
                flash(_regrouping_message(workspace.brand_hashtags_apart), "info")
            return redirect(url_for("workspaces.settings", slug=workspace.slug))
    return render_template(
        "workspaces/settings.html", form=form, access=access,
        runs=ingest_service.recent_runs(workspace, limit=10), **_sentiment_context(access),
    )  # fmt: skip


def _regrouping_message(apart: bool) -> str:
    if apart:
        return _(
            "Brand terms are now topics apart from their hashtags. The mentions already imported "
            "are being regrouped in the background, and the scores recomputed after: the topic "
            "lists and rankings change in a few moments."
        )
    return _(
        "Brand terms and their hashtags are now one topic. The mentions already imported are "
        "being regrouped in the background, and the scores recomputed after: the topic lists "
        "and rankings change in a few moments."
    )


def _sentiment_context(access) -> dict:
    """What the settings page's sentiment section needs."""
    overview = sentiment_service.overview(access.workspace)
    return dict(
        sentiment=overview, train_form=TrainForm(formdata=None), choice_form=ModelChoiceForm(formdata=None),
        sentiment_form=SentimentSettingsForm(formdata=None, obj=overview.settings),
    )  # fmt: skip


def _to_sentiment_section(access):
    return redirect(url_for("workspaces.settings", slug=access.workspace.slug, _anchor="sentiment"))


@bp.post("/w/<slug>/settings/sentiment")
@workspace_view("manager")
def sentiment_settings(access):
    form = SentimentSettingsForm()
    if form.validate_on_submit():
        sentiment_service.update_settings(
            access.workspace, learn_from_imported=form.learn_from_imported.data
        )
        if form.learn_from_imported.data:
            flash(
                _("Imported labels now count as corrections: train the model to learn from them."),
                "success",
            )
        else:
            flash(_("Only people’s corrections teach the model from its next training."), "success")
    return _to_sentiment_section(access)


@bp.post("/w/<slug>/settings/sentiment/train")
@workspace_view("manager")
def train_sentiment(access):
    if TrainForm().validate_on_submit():
        try:
            sentiment_service.queue_training(access.workspace)
        except ServiceError as error:
            flash(_("Cannot train yet: %(reason)s.", reason=error), "error")
        else:
            flash(_("Training is under way. The page stays usable; it tells you when it is done."), "info")
    return _to_sentiment_section(access)


@bp.post("/w/<slug>/settings/sentiment/use")
@workspace_view("manager")
def use_sentiment(access):
    form = ModelChoiceForm()
    if not form.validate_on_submit():
        flash(_("Choose the learned model or the base analysers."), "error")
        return _to_sentiment_section(access)
    try:
        sentiment_service.update_settings(access.workspace, use_model=form.use.data == "model")
    except ServiceError as error:
        flash(f"{str(error)[:1].upper()}{str(error)[1:]}.", "error")
    else:
        if form.use.data == "model":
            message = _(
                "The workspace now uses its learned model; its mentions are relabelled in the "
                "background."
            )
        else:
            message = _(
                "The workspace now uses the base analysers; its mentions are relabelled in the "
                "background."
            )
        flash(message, "success")
    return _to_sentiment_section(access)


@bp.get("/w/<slug>/settings/sentiment/status")
@workspace_view()
def sentiment_status(access):
    """The training's progress fragment the settings page polls (htmx) while it runs."""
    return render_template(
        "workspaces/_sentiment_status.html", access=access,
        sentiment=sentiment_service.overview(access.workspace), polled=True,
    )  # fmt: skip


@bp.route("/w/<slug>/members", methods=["GET", "POST"])
@workspace_view()
def members(access):
    form = InviteForm()
    link = None
    if form.validate_on_submit():
        if not access.allows("owner"):
            abort(403, _("only owners invite people"))
        try:
            _invite, token = workspace_service.invite(
                access.workspace, form.email.data, form.role.data, current_user
            )
        except ServiceError as error:
            flash(str(error), "error")
        else:
            link = url_for("auth.invitation", token=token, _external=True)
            flash(
                Markup(_("Invitation for %(email)s created: send them the link below."))
                % {"email": bdi(form.email.data)},
                "success",
            )
            form = InviteForm(formdata=None)  # an empty form for the next invitation
    return render_template(
        "workspaces/members.html", access=access, form=form, link=link,
        members=workspace_service.members_of(access.workspace),
        invitations=workspace_service.pending_invitations(access.workspace),
        role_form=RoleForm(), empty_form=EmptyForm(),
    )  # fmt: skip


@bp.post("/w/<slug>/members/<int:membership_id>/role")
@workspace_view("owner")
def change_role(access, membership_id: int):
    form = RoleForm()
    if form.validate_on_submit():
        try:
            workspace_service.change_role(access.workspace, membership_id, form.role.data)
            flash(_("Role changed."), "success")
        except ServiceError as error:
            flash(str(error), "error")
    return redirect(url_for("workspaces.members", slug=access.workspace.slug))


@bp.post("/w/<slug>/members/<int:membership_id>/remove")
@workspace_view("owner")
def remove_member(access, membership_id: int):
    if EmptyForm().validate_on_submit():
        try:
            workspace_service.remove_member(access.workspace, membership_id)
            flash(_("Member removed."), "success")
        except ServiceError as error:
            flash(str(error), "error")
    return redirect(url_for("workspaces.members", slug=access.workspace.slug))


@bp.post("/w/<slug>/invitations/<int:invitation_id>/revoke")
@workspace_view("owner")
def revoke_invitation(access, invitation_id: int):
    if EmptyForm().validate_on_submit():
        try:
            workspace_service.revoke_invitation(access.workspace, invitation_id)
            flash(_("Invitation withdrawn."), "success")
        except ServiceError as error:
            flash(str(error), "error")
    return redirect(url_for("workspaces.members", slug=access.workspace.slug))


@bp.route("/w/<slug>/import", methods=["GET", "POST"])
@workspace_view()
def import_form(access):
    form = UploadForm()
    form.files.description = _(
        "Up to %(limit)s in all (the server’s limit); gzip-compressed files count at their "
        "compressed size.",
        limit=filesize(current_app.config["MAX_CONTENT_LENGTH"]),
    )
    if form.validate_on_submit():
        # app.web.guard_uploads refused this before the body was read; checked again here so
        # that the view stays safe on its own.
        if not access.allows("agent"):
            abort(403, _("viewers cannot import; ask an owner for the agent role"))
        saved = ingest_service.save_uploads(
            access.workspace, form.files.data, current_app.config["UPLOAD_FOLDER"]
        )
        run = ingest_service.queue_upload_import(
            access.workspace, saved, form.format.data, current_user
        )
        return redirect(url_for("workspaces.import_run", slug=access.workspace.slug, run_id=run.id))
    return render_template(
        "workspaces/import.html", form=form, access=access,
        runs=ingest_service.recent_runs(access.workspace),
    )  # fmt: skip


@bp.get("/w/<slug>/imports/<int:run_id>")
@workspace_view()
def import_run(access, run_id: int):
    run = ingest_service.get_run(access.workspace, run_id)
    if run is None:
        abort(404)
    return render_template("workspaces/import_run.html", run=run, access=access)


@bp.get("/w/<slug>/imports/<int:run_id>/status")
@workspace_view()
def import_status(access, run_id: int):
    """The progress fragment the result page polls (htmx) while an import runs."""
    run = ingest_service.get_run(access.workspace, run_id)
    if run is None:
        abort(404)
    return render_template("workspaces/_import_status.html", run=run, access=access)
