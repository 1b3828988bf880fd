"""Issuing certificates once per completed tier (and for the whole programme), revoking them
with a reason, and issuing them again."""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.models import User, utcnow
from lms.certificates.issuers import country_of, issuer_for
from lms.certificates.models import PROGRAMME, Certificate
from lms.database import insert_or_ignore
from lms.extensions import db
from lms.learning.models import TierCompletion

# No look-alikes: no 0/O, 1/I/L, and no vowels that could spell words by accident (U, A, E).
ALPHABET = "23456789BCDFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12  # 28^12: about 2^58 codes


class CertificateRefused(Exception):
    """Why a certificate cannot be revoked or issued again, in words for the admin."""


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """A code as typed: any case, with spaces or dashes."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def formatted_code(code: str) -> str:
    """XXXX-XXXX-XXXX, easier to read aloud and type."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def valid_certificate(user_id: int, award: int) -> Certificate | None:
    return db.session.scalar(
        sa.select(Certificate).where(
            Certificate.user_id == user_id,
            Certificate.award == award,
            Certificate.revoked_dt.is_(None),
        )
    )


def issue(user: User, award: int, completed_on) -> Certificate:  # type: ignore[no-untyped-def]
    """The valid certificate for this award, issued now if there is none.

    Concurrent requests insert at most one (a partial unique index); the others find it.
    """
    existing = valid_certificate(user.id, award)
    if existing is not None:
        return existing
    for _attempt in range(3):  # a code collision is astronomically rare; try again if so
        created = insert_or_ignore(
            Certificate,
            code=new_code(),
            user_id=user.id,
            award=award,
            holder_name=user.display_name,
            completed_on=completed_on,
            issued_dt=utcnow(),
            issuer=issuer_for(user),
        )
        if created is not None:
            certificate = db.session.get(Certificate, created)
            country = country_of(user.org_unit)
            prefix = country.code if country is not None else "RG"
            certificate.serial = f"{prefix}-{certificate.issued_dt:%Y}-{certificate.id:07d}"
            db.session.flush()
            return certificate
        existing = valid_certificate(user.id, award)
        if existing is not None:
            return existing
    raise RuntimeError("could not issue a certificate")


def issue_due(user: User) -> list[Certificate]:
    """Certificates for every completed tier (and the programme) that has none yet."""
    completions = dict(
        db.session.execute(
            sa.select(TierCompletion.tier_number, TierCompletion.completed_dt).where(
                TierCompletion.user_id == user.id
            )
        ).all()
    )
    issued = []
    for tier, completed_dt in sorted(completions.items()):
        issued.append(issue(user, tier, completed_dt.date()))
    if all(number in completions for number in (1, 2, 3, 4)):
        issued.append(issue(user, PROGRAMME, max(completions.values()).date()))
    return issued


def revoke(certificate: Certificate, admin: User, reason: str) -> None:
    if not reason.strip():
        raise CertificateRefused(_("Give the reason for revoking it."))
    changed = db.session.execute(
        sa.update(Certificate)
        .where(Certificate.id == certificate.id, Certificate.revoked_dt.is_(None))
        .values(revoked_dt=utcnow(), revoked_reason=reason.strip(), revoked_by_id=admin.id)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        raise CertificateRefused(_("This certificate is revoked already."))
    db.session.refresh(certificate)


def reissue(certificate: Certificate) -> Certificate:
    """A new certificate (new code and serial) for a revoked one's award, if still earned."""
    if certificate.is_valid:
        raise CertificateRefused(_("Only a revoked certificate can be issued again."))
    return issue(certificate.user, certificate.award, certificate.completed_on)


def user_certificates(user_id: int) -> list[Certificate]:
    return list(
        db.session.scalars(
            sa.select(Certificate)
            .where(Certificate.user_id == user_id)
            .order_by(Certificate.award, Certificate.issued_dt.desc())
        )
    )


def find(code: str) -> Certificate | None:
    cleaned = normalise_code(code)
    if len(cleaned) != CODE_LENGTH:
        return None
    return db.session.scalar(sa.select(Certificate).where(Certificate.code == cleaned))
