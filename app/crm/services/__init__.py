"""The relationship manager's services: plain functions over the workspace, the only code of
the domain that commits.

:mod:`.people` people, accounts, tags, stages, keep-in-touch, merge and erasure;
:mod:`.touches` touches (and the author page's contact history); :mod:`.timeline`;
:mod:`.campaigns` campaigns and placements; :mod:`.tasks`; :mod:`.templates`; :mod:`.audit`;
:mod:`.values` reading what people type.
"""
