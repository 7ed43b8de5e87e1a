"""Forms of the network page: the export buttons."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import AnyOf

from app.services.network import FORMATS


class ExportForm(FlaskForm):
    """Start an export: ``format`` is the button pressed, ``view`` the view's query string.

    The view travels as one field so the page's script can keep it in step with the filters
    it changes without a reload.
    """

    format = HiddenField(validators=[AnyOf(list(FORMATS), message=_l("choose GEXF or GraphML"))])
    view = HiddenField()
