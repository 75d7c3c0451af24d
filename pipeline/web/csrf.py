"""A CSRF token on every form: another site cannot make an officer's browser post to this one.

The token is random, kept in Flask's session (a cookie signed with the app's
secret key, HttpOnly and SameSite=Strict) and repeated in a hidden form
field; a form post is accepted only when the two match. A page on another
site can make the browser send the cookie but cannot read the token to put
in the form. The JSON API takes no cookies and has no form, so it needs no
token: a script calls it directly.
"""

from __future__ import annotations

import hmac
import secrets

from flask import abort, request, session

FIELD = "csrf_token"
_KEY = "csrf"


def token() -> str:
    """This browser's token, made on first use (templates put it in a hidden field)."""
    if _KEY not in session:
        session[_KEY] = secrets.token_urlsafe(32)
    return session[_KEY]


def require_token() -> None:
    """Stop a form post whose token is missing or does not match this browser's (400)."""
    expected = session.get(_KEY)
    given = request.form.get(FIELD, "")
    if not expected or not given or not hmac.compare_digest(str(expected), given):
        abort(400, description="csrf")
