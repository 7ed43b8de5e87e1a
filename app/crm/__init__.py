"""The relationship manager: people behind accounts, their stages, touches, tasks and
timeline, keep-in-touch cadences, outreach templates, campaigns and their placements.

Models live in :mod:`app.crm.models`, the logic in :mod:`app.crm.services` (the only code
that commits), the JSON API in :mod:`app.crm.api` (under ``/api/v1/workspaces/<slug>/``),
the pages in :mod:`app.crm.routes` with their templates in ``app/crm/templates/crm/``.

Other domains may call :mod:`app.crm.services.touches` (the author page's contact history and
the influencer list's "contacted" filter) and :mod:`app.crm.services.people`.
"""
