"""The relationship manager's migration turns the contact history into people and touches."""

from datetime import UTC, datetime

from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from app import create_app
from app.extensions import db
from app.models import Workspace


def test_contacts_become_touches_of_people_and_come_back(tmp_path):
    from app.crm.models import Person, Touch
    from app.crm.services import touches

    url = f"sqlite:///{tmp_path / 'older.db'}"
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url,
                      "INSTANCE_PATH": str(tmp_path / "instance")})  # fmt: skip
    with app.app_context():
        upgrade(revision="b7d1e5a3c9f2")  # the schema with contacts
        # written in SQL, as that schema has them: today's models have columns it lacks
        with db.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO users (id, email, name, password_hash, created_at)"
                " VALUES (1, 'owner@example.com', 'Owner', 'x', '2026-10-01 10:00:00')"
            ))  # fmt: skip
            conn.execute(text(
                "INSERT INTO workspaces (id, slug, name, brand_terms, timezone, work_start,"
                " work_end, work_days, created_at) VALUES (1, 'acme', 'Acme', '[\"Acme\"]', 'UTC',"
                " '09:00', '18:00', '[1, 2, 3, 4, 5]', '2026-10-01 10:00:00')"
            ))  # fmt: skip
            for author_id, handle, name in ((1, "маша_кот", "Маша"), (2, "bob", None)):
                conn.execute(text(
                    "INSERT INTO authors (id, workspace_id, platform, handle, display_handle, name,"
                    " posts_count) VALUES (:i, 1, 'twitter', :h, :h, :n, 1)"
                ), {"i": author_id, "h": handle, "n": name})  # fmt: skip
            authors = {"маша_кот": 1, "bob": 2}
            for author, when, channel, note in (
                ("маша_кот", "2026-11-01 10:00:00", "email", "Написали"),
                ("маша_кот", "2026-11-05 12:00:00", "phone", "Позвонили"),
                ("bob", "2026-11-02 09:00:00", "meeting", ""),
            ):
                conn.execute(text(
                    "INSERT INTO contacts (workspace_id, author_id, user_id, contacted_at, channel,"
                    " note, created_at) VALUES (1, :a, 1, :t, :c, :n, :t)"
                ), {"a": authors[author], "t": when, "c": channel, "n": note})  # fmt: skip
        workspace_id, owner_id = 1, 1

        upgrade()
        people = {p.name: p for p in db.session.scalars(select(Person))}
        assert set(people) == {"Маша", "@bob"}
        masha = people["Маша"]
        assert masha.stage == "contacted" and masha.workspace_id == workspace_id
        assert [a.handle for a in masha.accounts] == ["маша_кот"]
        assert masha.accounts[0].author_id == authors["маша_кот"]
        assert masha.last_touch_at == datetime(2026, 11, 5, 12, 0, tzinfo=UTC)
        history = touches.author_contacts(
            db.session.get(Workspace, workspace_id), authors["маша_кот"]
        )
        assert [(t.channel, t.note, t.direction, t.by_id) for t in history] == [
            ("phone", "Позвонили", "sent", owner_id),
            ("email", "Написали", "sent", owner_id),
        ]
        assert db.session.scalar(select(db.func.count()).select_from(Touch)) == 3
        assert "contacts" not in db.inspect(db.engine).get_table_names()
        db.session.close()

        downgrade(revision="e3a9c4d2b8f1")
        back = db.session.execute(
            text("SELECT author_id, channel, note FROM contacts ORDER BY contacted_at")
        ).all()
        assert back == [(authors["маша_кот"], "email", "Написали"), (authors["bob"], "meeting", ""),
                        (authors["маша_кот"], "phone", "Позвонили")]  # fmt: skip
        db.session.remove()
        db.engine.dispose()
