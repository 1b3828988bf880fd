"""Who is signed in, where they may go, and what they may see."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from lms.accounts.models import Role, User
from lms.accounts.users import in_scope
from lms.extensions import db, login_manager

login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please sign in to see this page.")
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"

F = TypeVar("F", bound=Callable[..., Any])


@login_manager.user_loader
def load_user(cookie_id: str) -> User | None:
    """Load from ``"<id>.<session token>"``: a changed token signs the cookie out."""
    user_id, _, session_token = cookie_id.partition(".")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_token != session_token:
        return None
    return user


def is_safe_next(target: str | None) -> bool:
    """Only same-site paths: no scheme, no host, no ``//host`` or ``/\\host`` tricks."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and "\\" not in target


def roles_required(*roles: Role) -> Callable[[F], F]:
    """Signed-in users with one of ``roles``; others get 403, anonymous users the login page."""

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def get_user_in_scope_or_404(user_id: int) -> User:
    """A user the current admin manages; anyone outside the scope does not exist for them."""
    user = db.session.get(User, user_id)
    if user is None or not in_scope(current_user, user):
        abort(404)
    return user
