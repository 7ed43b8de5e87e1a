"""Views for the mentions list, the author page and sentiment corrections."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for

from app.influencers.forms import BotVerdictForm, RecomputeForm
from app.mentions import bp
from app.mentions.forms import SentimentForm
from app.models import MENTION_KINDS, SENTIMENTS
from app.services import influencers as influencer_service
from app.services import mentions as mention_service
from app.services.errors import ServiceError
from app.web import workspace_view


@bp.get("/w/<slug>/")
@workspace_view()
def index(access):
    filters = mention_service.MentionFilters.from_args(request.args)
    for error in filters.errors:
        flash(f"Filter ignored: {error}.", "warning")
    page = mention_service.list_mentions(
        access.workspace, filters, per_page=current_app.config["MENTIONS_PER_PAGE"]
    )
    return render_template(
        "mentions/index.html", access=access, page=page, filters=filters,
        platforms=mention_service.platforms_of(access.workspace),
        sentiments=SENTIMENTS, kinds=MENTION_KINDS, sentiment_form=SentimentForm(),
        total_in_workspace=None if page.total else mention_service.mention_count(access.workspace),
        url_for_page=lambda n: url_for(
            "mentions.index", slug=access.workspace.slug, **filters.query_args(page=n)
        ),
    )  # fmt: skip


@bp.get("/w/<slug>/authors/<int:author_id>")
@workspace_view()
def author(access, author_id: int):
    try:
        person = mention_service.get_author(access.workspace, author_id)
    except ServiceError:
        abort(404)
    filters = mention_service.MentionFilters.from_args(request.args)
    filters.author_id = person.id
    page = mention_service.list_mentions(access.workspace, filters, per_page=30)
    return render_template(
        "mentions/author.html", access=access, author=person, page=page, filters=filters,
        summary=mention_service.author_summary(access.workspace, person),
        profile=influencer_service.author_profile(access.workspace, person.id),
        sentiment_form=SentimentForm(), recompute_form=RecomputeForm(), verdict_form=BotVerdictForm(),
        url_for_page=lambda n: url_for(
            "mentions.author", slug=access.workspace.slug, author_id=author_id, page=n
        ),
    )  # fmt: skip


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
    back = request.form.get("next") or ""
    if not back.startswith("/") or back.startswith("//"):
        back = url_for("mentions.index", slug=access.workspace.slug)
    return redirect(back)
