"""Views for the workspace list, settings, members and imports."""

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.auth.forms import EmptyForm
from app.sentiment import services as sentiment_service
from app.sentiment.forms import ModelChoiceForm, SentimentSettingsForm, TrainForm
from app.services import ingest as ingest_service
from app.services import workspaces as workspace_service
from app.services.errors import ServiceError
from app.web import filesize, workspace_view
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
            flash(f"Workspace {workspace.name} created. Import mentions to begin.", "success")
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
    if form.validate_on_submit():
        if not access.allows("manager"):
            abort(403, "only managers and owners change workspace settings")
        try:
            workspace_service.update_workspace(
                workspace, name=form.name.data, brand_terms=form.brand_terms.data or "",
                timezone=form.timezone.data, work_start=form.work_start.data,
                work_end=form.work_end.data, work_days=form.work_days.data,
                score_window_days=form.score_window_days.data,
                expected_languages=form.expected_languages.data or "",
            )  # fmt: skip
        except ServiceError as error:
            flash(str(error), "error")
        else:
            flash(
                "Settings saved. New brand terms and expected languages apply to mentions imported"
                " from now on.", "success"
            )  # fmt: skip
            return redirect(url_for("workspaces.settings", slug=workspace.slug))
    return render_template(
        "workspaces/settings.html", form=form, access=access,
        runs=ingest_service.recent_runs(workspace, limit=10), **_sentiment_context(access),
    )  # fmt: skip


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
            flash("Imported labels now count as corrections: train the model to learn from them.",
                  "success")  # fmt: skip
        else:
            flash("Only people's corrections teach the model from its next training.", "success")
    return _to_sentiment_section(access)


@bp.post("/w/<slug>/settings/sentiment/train")
@workspace_view("manager")
def train_sentiment(access):
    if TrainForm().validate_on_submit():
        try:
            sentiment_service.queue_training(access.workspace)
        except ServiceError as error:
            flash(f"Cannot train yet: {error}.", "error")
        else:
            flash("Training is under way. The page stays usable; it tells you when it is done.", "info")
    return _to_sentiment_section(access)


@bp.post("/w/<slug>/settings/sentiment/use")
@workspace_view("manager")
def use_sentiment(access):
    form = ModelChoiceForm()
    if not form.validate_on_submit():
        flash("Choose the learned model or the base analysers.", "error")
        return _to_sentiment_section(access)
    try:
        sentiment_service.update_settings(access.workspace, use_model=form.use.data == "model")
    except ServiceError as error:
        flash(f"{str(error)[:1].upper()}{str(error)[1:]}.", "error")
    else:
        chosen = "its learned model" if form.use.data == "model" else "the base analysers"
        flash(f"The workspace now uses {chosen}; its mentions are relabelled in the background.",
              "success")  # fmt: skip
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
            abort(403, "only owners invite people")
        try:
            _, token = workspace_service.invite(
                access.workspace, form.email.data, form.role.data, current_user
            )
        except ServiceError as error:
            flash(str(error), "error")
        else:
            link = url_for("auth.invitation", token=token, _external=True)
            flash(f"Invitation for {form.email.data} created: send them the link below.", "success")
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
            flash("Role changed.", "success")
        except ServiceError as error:
            flash(str(error), "error")
    return redirect(url_for("workspaces.members", slug=access.workspace.slug))


@bp.post("/w/<slug>/members/<int:membership_id>/remove")
@workspace_view("owner")
def remove_member(access, membership_id: int):
    if EmptyForm().validate_on_submit():
        try:
            workspace_service.remove_member(access.workspace, membership_id)
            flash("Member removed.", "success")
        except ServiceError as error:
            flash(str(error), "error")
    return redirect(url_for("workspaces.members", slug=access.workspace.slug))


@bp.post("/w/<slug>/invitations/<int:invitation_id>/revoke")
@workspace_view("owner")
def revoke_invitation(access, invitation_id: int):
    if EmptyForm().validate_on_submit():
        try:
            workspace_service.revoke_invitation(access.workspace, invitation_id)
            flash("Invitation withdrawn.", "success")
        except ServiceError as error:
            flash(str(error), "error")
    return redirect(url_for("workspaces.members", slug=access.workspace.slug))


@bp.route("/w/<slug>/import", methods=["GET", "POST"])
@workspace_view()
def import_form(access):
    form = UploadForm()
    form.files.description = form.files.description.format(
        limit=filesize(current_app.config["MAX_CONTENT_LENGTH"])
    )
    if form.validate_on_submit():
        # app.web.guard_uploads refused this before the body was read; checked again here so
        # that the view stays safe on its own.
        if not access.allows("agent"):
            abort(403, "viewers cannot import; ask an owner for the agent role")
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
