"""Views for the mentions list, the author page (with its contact history) and sentiment
corrections."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.advocacy.services import figures as advocacy_figures
from app.crm.services import people as person_service
from app.crm.services import touches as contact_service
from app.influencers.forms import BotVerdictForm, RecomputeForm
from app.mentions import bp
from app.mentions.forms import ContactDeleteForm, ContactForm, SentimentForm
from app.models import MENTION_KINDS, SENTIMENTS
from app.sentiment import services as sentiment_service
from app.sentiment.forms import BulkSentimentForm
from app.services import influencers as influencer_service
from app.services import mentions as mention_service
from app.services.errors import FieldError, NotFound, ServiceError
from app.web import notice_ignored, workspace_view


@bp.get("/w/<slug>/")
@workspace_view()
def index(access):
    filters = mention_service.MentionFilters.from_args(request.args)
    notice_ignored(filters.errors)
    page = mention_service.list_mentions(
        access.workspace, filters, per_page=current_app.config["MENTIONS_PER_PAGE"]
    )
    return render_template(
        "mentions/index.html", access=access, page=page, filters=filters,
        platforms=mention_service.platforms_of(access.workspace),
        sentiments=SENTIMENTS, kinds=MENTION_KINDS, sentiment_form=SentimentForm(),
        bulk_form=BulkSentimentForm(),
        total_in_workspace=None if page.total else mention_service.mention_count(access.workspace),
        url_for_page=lambda n: url_for(
            "mentions.index", slug=access.workspace.slug, **filters.query_args(page=n)
        ),
    )  # fmt: skip


def _author_or_404(access, author_id: int):
    try:
        return mention_service.get_author(access.workspace, author_id)
    except ServiceError:
        abort(404)


def _contact_form(access, **kwargs) -> ContactForm:
    form = ContactForm(**kwargs)
    form.contacted_at.description = f"Leave empty for now. Time zone: {access.workspace.timezone}."
    return form


def _contacts_context(access, person, form) -> dict:
    """What the contact history section needs (the author page and its htmx fragment)."""
    return dict(
        access=access, author=person, contact_form=form, delete_form=ContactDeleteForm(),
        contacts=contact_service.author_contacts(access.workspace, person.id),
        crm_person=person_service.person_of_author(access.workspace, person.id),
        can_delete=lambda c: contact_service.can_delete(access, current_user, c),
    )  # fmt: skip


def _author_page(access, person, contact_form: ContactForm, status: int = 200):
    filters = mention_service.MentionFilters.from_args(request.args)
    if request.method == "GET":  # a form's answer shows the page as it was, without notices
        notice_ignored(filters.errors)
    filters.author_id = person.id
    page = mention_service.list_mentions(access.workspace, filters, per_page=30)
    return render_template(
        "mentions/author.html", page=page, filters=filters,
        summary=mention_service.author_summary(access.workspace, person),
        profile=influencer_service.author_profile(access.workspace, person.id),
        trajectory=advocacy_figures.trajectory(access.workspace, person.id),
        sentiment_form=SentimentForm(), recompute_form=RecomputeForm(), verdict_form=BotVerdictForm(),
        url_for_page=lambda n: url_for(
            "mentions.author", slug=access.workspace.slug, author_id=person.id, page=n
        ),
        **_contacts_context(access, person, contact_form),
    ), status  # fmt: skip


@bp.get("/w/<slug>/authors/<int:author_id>")
@workspace_view()
def author(access, author_id: int):
    return _author_page(access, _author_or_404(access, author_id), _contact_form(access))


def _contacts_answer(access, person, form, message: str | None = None, status: int = 200):
    """Answer a contact form: the section alone for htmx, else the author page (errors) or a
    redirect to it (done)."""
    if request.headers.get("HX-Request") == "true":
        context = _contacts_context(access, person, form)
        return render_template("mentions/_contacts.html", contact_message=message, **context)
    if message is None:
        return _author_page(access, person, form, status)
    flash(message, "success")
    return redirect(
        url_for(
            "mentions.author", slug=access.workspace.slug, author_id=person.id, _anchor="contacts"
        )
    )


@bp.post("/w/<slug>/authors/<int:author_id>/contacts")
@workspace_view("agent")
def log_contact(access, author_id: int):
    person = _author_or_404(access, author_id)
    form = _contact_form(access)
    if not form.validate_on_submit():
        return _contacts_answer(access, person, form, status=422)
    try:
        contact_service.log_contact(
            access, current_user, person.id, channel=form.channel.data,
            note=form.note.data, contacted_at=form.contacted_at.data,
        )  # fmt: skip
    except FieldError as error:
        getattr(form, error.field).errors.append(str(error))
        return _contacts_answer(access, person, form, status=422)
    return _contacts_answer(access, person, _contact_form(access, formdata=None), "Contact logged.")


@bp.post("/w/<slug>/contacts/<int:contact_id>/delete")
@workspace_view("agent")
def delete_contact(access, contact_id: int):
    if not ContactDeleteForm().validate_on_submit():
        abort(400, "the form has expired: reload the page and try again")
    try:
        author_id = contact_service.delete_contact(access, current_user, contact_id)
    except NotFound:
        abort(404)
    except ServiceError as error:
        abort(403, str(error))
    person = _author_or_404(access, author_id)
    return _contacts_answer(
        access, person, _contact_form(access, formdata=None), "Contact entry deleted."
    )


@bp.post("/w/<slug>/mentions/<int:mention_id>/sentiment")
@workspace_view("agent")
def set_sentiment(access, mention_id: int):
    form = SentimentForm()
    if form.validate_on_submit():
        try:
            mention_service.correct_sentiment(access.workspace, mention_id, form.sentiment.data)
            flash("Sentiment corrected; your label is kept from now on.", "success")
        except ServiceError as error:
            flash(str(error), "error")
    else:
        flash("Choose positive, neutral or negative.", "error")
    return redirect(_back_to_list(access))


def _back_to_list(access) -> str:
    """Return the local page in the form's ``next``, else the mentions list (never another site)."""
    back = request.form.get("next") or ""
    if not back.startswith("/") or back.startswith("//"):
        back = url_for("mentions.index", slug=access.workspace.slug)
    return back


@bp.post("/w/<slug>/mentions/sentiment")
@workspace_view("agent")
def set_sentiments(access):
    """Set the sentiment of the mentions ticked on the list, as people's corrections."""
    form = BulkSentimentForm()
    back = _back_to_list(access)
    if not form.validate_on_submit():
        errors = form.ids.errors or form.sentiment.errors or ["the form expired: reload the page"]
        flash(f"Nothing was changed: {errors[0]}.", "error")
        return redirect(back)
    ids, label = form.ids.data or [], form.sentiment.data
    try:
        done = sentiment_service.correct(access.workspace, ids, label)
    except ServiceError as error:
        flash(f"Nothing was changed: {error}.", "error")
        return redirect(back)
    message = f"Sentiment set to {label} on {done:,} mention{'s' if done != 1 else ''}"
    if done < len(set(ids)):
        message += f"; {len(set(ids)) - done:,} of the chosen are not in this workspace and were"
        message += " left alone"
    flash(message + ". Your labels are kept from now on.", "success" if done else "warning")
    return redirect(back)
