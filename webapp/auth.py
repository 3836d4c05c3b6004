"""Login and logout (Flask-Login, argon2 hashes), and the language switch.

A login is a row in login_session (engine.login_security): the cookie carries its random
token, and a request is signed in only while the row is open, so logging out ends the session
for every copy of the cookie.  Failed logins are rate limited per username and per address
(webapp.ratelimit).  Session protection stays "basic": "strong" would log out phone users
whose address changes on every mobile network hop.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Flask, flash, redirect, render_template, request, session, url_for
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from engine import login_security
from engine.models import User
from engine.passwords import hash_password, needs_rehash, verify_password
from webapp import ratelimit
from webapp.dbsession import session as db_session
from webapp.i18n import LANGS, gettext
from webapp.localized import LocalizedForm

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Silakan masuk terlebih dahulu."
login_manager.login_message_category = "info"
login_manager.localize_callback = gettext

# A real hash to compare against when the username does not exist, so that a wrong username
# and a wrong password take the same time.
_DUMMY_HASH = hash_password("lontar-dummy-password")


class LoginUser:
    """What Flask-Login keeps: the user's id and what pages show, not the ORM object."""

    def __init__(self, user: User) -> None:
        self.id = user.id
        self.name = user.name
        self.username = user.username
        self.lang = user.lang
        self.is_authenticated = True
        self.is_active = user.active
        self.is_anonymous = False

    def get_id(self) -> str:
        return str(self.id)


SESSION_TOKEN = "_lontar_session"  # noqa: S105 - the key in the cookie, not a secret


@login_manager.user_loader
def _load(user_id: str) -> LoginUser | None:
    if not user_id.isdigit():
        return None
    user = login_security.session_user(db_session(), int(user_id), session.get(SESSION_TOKEN))
    return LoginUser(user) if user is not None else None


class LoginForm(LocalizedForm):
    username = StringField("Nama pengguna", validators=[DataRequired(), Length(max=80)])
    password = PasswordField("Kata sandi", validators=[DataRequired(), Length(max=200)])


def _safe_next(target: str | None) -> str:
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("views.inbox")


@bp.route("/login", methods=["GET", "POST"])
def login():  # type: ignore[no-untyped-def]
    if current_user.is_authenticated:
        return redirect(url_for("views.inbox"))
    form = LoginForm()
    if form.validate_on_submit():
        username = form.username.data.strip()
        waiting = ratelimit.wait(db_session(), username)
        if waiting is not None:  # refused before the password is looked at: says nothing about it
            return ratelimit.refused(form, waiting)
        user = db_session().scalars(select(User).where(User.username == username)).first()
        if user is None or not user.active:
            verify_password(_DUMMY_HASH, form.password.data)
        elif verify_password(user.password_hash, form.password.data):
            if needs_rehash(user.password_hash):
                user.password_hash = hash_password(form.password.data)
            ratelimit.succeeded(db_session(), username)
            session.clear()  # a fresh session: nothing planted before the login survives it
            session[SESSION_TOKEN] = login_security.open_session(db_session(), user.id, ratelimit.now())
            login_user(LoginUser(user))
            return redirect(_safe_next(request.args.get("next")))
        ratelimit.failed(db_session(), username)
        flash(gettext("Nama pengguna atau kata sandi salah."), "error")
    return render_template("login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    lang = session.get("lang")
    login_security.end_session(db_session(), session.get(SESSION_TOKEN), ratelimit.now())
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang
    return redirect(url_for("auth.login"))


@bp.route("/lang/<code>", methods=["POST"])
def set_lang(code: str) -> Response:
    if code in LANGS:
        session["lang"] = code
    return redirect(_safe_next(request.form.get("next")))


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    app.register_blueprint(bp)
