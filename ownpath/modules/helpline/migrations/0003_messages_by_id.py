# A chat's system messages are kept as message ids + parameters from now on, read in each side's language.
# Earlier system messages are recognised (in English or any catalogue's language) and given their ids.

from django.db import migrations, models

TEXTS = [
    "An interpreter joined the conversation.",
    "You are in the queue. An operator who speaks your language will answer.",
    "%(name)s joined the chat.",
    "The chat has ended.",
]


def give_ids(apps, schema_editor):
    from ownpath.core.messages import recogniser

    ChatMessage = apps.get_model("helpline", "ChatMessage")
    recognise = recogniser(TEXTS)
    changed = []
    for message in ChatMessage.objects.filter(sender="system", message_id="").iterator(chunk_size=500):
        found = recognise(message.text)
        if found is not None:
            message.message_id, message.params = found
            changed.append(message)
    ChatMessage.objects.bulk_update(changed, ["message_id", "params"], batch_size=500)



class Migration(migrations.Migration):

    dependencies = [
        ('helpline', '0002_builtin_topics'),
    ]

    operations = [
        migrations.AddField(
            model_name='chatmessage',
            name='message_id',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.AddField(
            model_name='chatmessage',
            name='params',
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(give_ids, migrations.RunPython.noop),
    ]
