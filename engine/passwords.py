"""Password hashing with argon2id (argon2-cffi's defaults follow RFC 9106's recommendations)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_HASHER = PasswordHasher()


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


_DUMMY: list[str] = []


def verify_password(password_hash: str, password: str) -> bool:
    """Constant-effort check: an account without a usable password (imported users get "!"
    and random text) costs the same argon2 work as a real one, so timing reveals nothing."""
    if not password_hash.startswith("$argon2"):
        if not _DUMMY:
            _DUMMY.append(_HASHER.hash("lontar-unusable-password"))
        password_hash, password = _DUMMY[0], password + "\x00never"
    try:
        return _HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _HASHER.check_needs_rehash(password_hash)
