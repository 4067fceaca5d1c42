"""A person waiting for her account to be linked, so the counsellor sees an account request in the demo."""

from __future__ import annotations

from datetime import date

from ownpath.core.models import Organisation, User


def load() -> str:
    from ownpath.modules.portal.models import AccountClaim

    if AccountClaim.objects.exists():
        return "Portal demo: already loaded."
    centre = Organisation.objects.filter(slug="career-centre").first()
    if centre is None:
        return "Portal demo: no counselling centre to ask."
    user, created = User.objects.get_or_create(
        email="mariam.haddad@demo.ownpath.org",
        defaults={"username": "p-mariam", "is_demo": True, "preferred_language": "ar"},
    )
    if created:
        user.set_unusable_password()
        user.save()
    AccountClaim.objects.create(
        user=user,
        organisation=centre,
        given_name="Mariam",
        family_name="Haddad",
        birth_date=date(1994, 6, 2),
        message="I came to the job club on Tuesday with my sister.",
    )
    return "Portal demo: 1 account request waiting at the career centre (sign in with a code to try your own)."
