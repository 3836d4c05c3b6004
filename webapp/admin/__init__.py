"""The admin pages (/admin): an admin of a unit manages its subtree, a Pemda-wide admin all.

Units, positions, people and their roles, holdings (definitif/Plt/Plh/Pj/Pjs), delegations,
role mappings, and CSV import/export.  Every change goes through one engine service
(engine.org_admin, engine.org_assign, engine.org_import) that checks the scope and writes the
audit trail; anything outside the admin's scope, and the whole of /admin for a non-admin, is
404.  "Delegasi saya" (/delegations) is for everyone: a person names their own deputy.
"""

from __future__ import annotations

from flask import Blueprint, Flask, redirect, request, url_for
from flask_login import current_user

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def _signed_in_admins_only():  # type: ignore[no-untyped-def]
    from webapp.admin.common import scope

    if not current_user.is_authenticated:
        return redirect(
            url_for("auth.login", next=request.full_path.rstrip("?") if request.method == "GET" else None)
        )
    scope()  # 404 for everyone who is no admin
    return None


def init_app(app: Flask) -> None:
    from webapp.admin import (  # noqa: F401 - routes
        calendar,
        delegations,
        instructions,
        mappings,
        numbering,
        positions,
        signing_rules,
        transfer,
        units,
        users,
    )
    from webapp.admin.common import is_admin

    app.register_blueprint(bp)
    app.register_blueprint(delegations.mine)
    app.jinja_env.globals["lontar_is_admin"] = is_admin
