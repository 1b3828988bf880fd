"""Issuing certificates once per completed tier (and for the whole programme), revoking them
with a reason, and issuing them again."""

from __future__ import annotations

import secrets
import unicodedata
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.models import User, utcnow
from lms.certificates.issuers import country_of, issuer_for
from lms.certificates.models import PROGRAMME, Certificate
from lms.database import insert_or_ignore
from lms.extensions import db
from lms.learning.models import TierCompletion
from lms.training.timezones import zone_for

# No look-alikes: no 0/O, 1/I/L, and no vowels that could spell words by accident (U, A, E).
ALPHABET = "23456789BCDFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12  # 28^12: about 2^58 codes


class CertificateRefused(Exception):
    """Why a certificate cannot be revoked or issued again, in words for the admin."""


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """A code as typed: any case, with spaces or dashes, full-width from a CJK keyboard."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).upper() if ch.isalnum())


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


def local_date(user: User, moment: datetime) -> date:
    """The day it was where the counsellor works (a certificate states the local date)."""
    return moment.astimezone(ZoneInfo(zone_for(user.org_unit))).date()


def first_issue(user: User, award: int, completed_on: date) -> Certificate | None:
    """Issue the award's certificate if the counsellor has never had one. A revoked
    certificate stays revoked: only an admin issues it again."""
    ever = db.session.scalar(
        sa.select(Certificate.id).where(Certificate.user_id == user.id, Certificate.award == award)
    )
    if ever is not None:
        return None
    return issue(user, award, completed_on)


def issue_due(user: User) -> list[Certificate]:
    """Certificates for completed tiers (and the programme) never issued yet."""
    completions = dict(
        db.session.execute(
            sa.select(TierCompletion.tier_number, TierCompletion.completed_dt).where(
                TierCompletion.user_id == user.id
            )
        ).all()
    )
    issued = [
        first_issue(user, tier, local_date(user, completed_dt))
        for tier, completed_dt in sorted(completions.items())
    ]
    if all(number in completions for number in (1, 2, 3, 4)):
        issued.append(issue_programme(user, max(completions.values())))
    return [c for c in issued if c is not None]


def issue_programme(user: User, completed_dt: datetime) -> Certificate | None:
    """The programme certificate, once every tier's certificate is there and valid."""
    valid = set(
        db.session.scalars(
            sa.select(Certificate.award).where(
                Certificate.user_id == user.id, Certificate.revoked_dt.is_(None)
            )
        )
    )
    if not {1, 2, 3, 4} <= valid:
        return None
    return first_issue(user, PROGRAMME, local_date(user, completed_dt))


def revoke(certificate: Certificate, admin: User, reason: str) -> None:
    """Revoke with a reason. The programme certificate rests on every tier's: revoking a tier's
    revokes it too."""
    if not reason.strip():
        raise CertificateRefused(_("Give the reason for revoking it."))
    now = utcnow()
    changed = db.session.execute(
        sa.update(Certificate)
        .where(Certificate.id == certificate.id, Certificate.revoked_dt.is_(None))
        .values(revoked_dt=now, revoked_reason=reason.strip(), revoked_by_id=admin.id)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        raise CertificateRefused(_("This certificate is revoked already."))
    if certificate.award != PROGRAMME:
        db.session.execute(
            sa.update(Certificate)
            .where(
                Certificate.user_id == certificate.user_id,
                Certificate.award == PROGRAMME,
                Certificate.revoked_dt.is_(None),
            )
            .values(
                revoked_dt=now,
                revoked_reason=reason.strip(),
                revoked_by_id=admin.id,
            )
            .execution_options(synchronize_session=False)
        )
    db.session.refresh(certificate)


def reissue(certificate: Certificate) -> Certificate:
    """A new certificate (new code and serial) for a revoked one's award, if still earned:
    the person is active, the tier (or every tier) is still completed, and no valid
    certificate for it exists."""
    if certificate.is_valid:
        raise CertificateRefused(_("Only a revoked certificate can be issued again."))
    person = certificate.user
    if not person.is_enabled:
        raise CertificateRefused(_("This person's account is deactivated."))
    if valid_certificate(person.id, certificate.award) is not None:
        raise CertificateRefused(_("A valid certificate for this is there already."))
    completed = set(
        db.session.scalars(
            sa.select(TierCompletion.tier_number).where(TierCompletion.user_id == person.id)
        )
    )
    needed = {1, 2, 3, 4} if certificate.is_programme else {certificate.award}
    if not needed <= completed:
        raise CertificateRefused(_("The tier is not completed: there is nothing to certify."))
    if certificate.is_programme and not {1, 2, 3, 4} <= set(
        db.session.scalars(
            sa.select(Certificate.award).where(
                Certificate.user_id == person.id, Certificate.revoked_dt.is_(None)
            )
        )
    ):
        raise CertificateRefused(_("Issue the tiers' certificates again first."))
    return issue(person, certificate.award, certificate.completed_on)


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
