# Notifications are kept as message ids + parameters from now on. Rows written before are recognised against
# the notification texts of this release (in English and in every catalogue's language) and given their ids,
# so they too are read in each reader's language; a text not recognised stays as it was written.

from django.db import migrations, models

# The notification texts as of this migration (a snapshot: later texts are stored by id when written).
TEXTS = [
    "Appointment on %(date)s",
    "Appointment moved to %(date)s",
    "Appointment on %(date)s cancelled",
    "A CV was left with you",
    "%(organisation)s sent you a CV",
    "%(employer)s answered about a CV: %(answer)s",
    "New referral from %(organisation)s",
    "Please accept or reject it by %(date)s.",
    "See the referrals page.",
    "%(organisation)s accepted a referral",
    "%(organisation)s rejected a referral",
    "%(organisation)s completed a referral",
    "%(organisation)s has not answered a referral in time",
    "A caller was handed over to you by the helpline",
    "Open a record for them, or decline with a reason.",
    "Urgent legal question",
    "New legal question",
    "A counsellor asks for legal advice.",
    "Your legal question was answered",
    "Open it to read the answer.",
    "A referral from %(organisation)s is waiting for your answer",
    "The answer was expected by %(date)s.",
    "A path step is overdue",
    "It was planned to end on %(date)s.",
    "A %(months)s-month follow-up is due",
    "Ask whether the person is still in work or training.",
    "A residence title expires on %(date)s",
    "Plan the application for a new title with the person in time.",
    "%(name)s completed the mentor path and can be approved.",
    "You have a new mentee: agree your contract with the coordinator.",
    "First meeting of %(mentor)s's pair: ask both whether it is a good fit.",
    "A pair is not a good fit: the mentee is back in the pool for the next match.",
    "No meeting of %(mentor)s's pair since %(since)s, more than agreed.",
    "Someone says the information on %(service)s is wrong",
    "Feedback on %(service)s",
    "Crisis on a helpline contact",
    "An operator marked a contact as %(risk)s. Please support them now.",
    "You are asked to interpret on a helpline contact",
    "Language: %(language)s. Open the contact to join.",
    "Callback requested",
    "A callback needs an operator who speaks %(language)s",
    "Call back at %(time)s.",
    "A web chat in %(language)s is waiting",
    "A record was shared with %(organisation)s",
    "Open it from the notification; the person's consent limits what you see.",
]


def give_ids(apps, schema_editor):
    from ownpath.core.messages import recogniser

    Notification = apps.get_model("core", "Notification")
    recognise = recogniser(TEXTS)
    changed = []
    for notification in Notification.objects.filter(title_id="").iterator(chunk_size=500):
        title = recognise(notification.title)
        if title is None:
            continue
        body = recognise(notification.body) if notification.body else None
        params = dict(title[1])
        notification.title_id = title[0]
        if body is not None:
            notification.body_id = body[0]
            params.update(body[1])
        notification.params = params
        changed.append(notification)
    Notification.objects.bulk_update(changed, ["title_id", "body_id", "params"], batch_size=500)



class Migration(migrations.Migration):

    dependencies = [
        ('core', '0010_audit_partitioned_by_month'),
    ]

    operations = [
        migrations.AddField(
            model_name='notification',
            name='body_id',
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name='notification',
            name='params',
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name='notification',
            name='title_id',
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(give_ids, migrations.RunPython.noop),
    ]
