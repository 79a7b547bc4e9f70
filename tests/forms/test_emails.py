import re

import pytest
from django.core import mail

from accounts.models import Organisation
from workflow.models import OutboxMessage
from workflow.notifications import notification_kinds, outbox_send

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", sorted(notification_kinds()))
@pytest.mark.parametrize("language", ["fr", "en"])
def test_it_renders_every_email_in_the_recipients_language(kind, language, draft, applicant, settings):
    settings.SITE_URL = "https://guichet.example/"
    Organisation.objects.filter(pk=draft.organisation_id).update(name="Cuisines & Cie")
    applicant.language = language
    applicant.save(update_fields=["language"])
    message = OutboxMessage.objects.create(kind=kind, recipient=applicant, application=draft)

    assert outbox_send(message_pk=message.pk) is True

    [email] = mail.outbox
    assert "\n" not in email.subject and email.subject
    assert "{%" not in email.body and "&amp;" not in email.body and "&quot;" not in email.body
    # Each kind links to its page (the application, or e.g. the funded project), absolute, without "//".
    links = re.findall(r"https://guichet\.example/\S*", email.body)
    assert links and all("//" not in link[len("https://") :] for link in links)
    assert draft.title in email.subject + email.body
    assert email.to == [applicant.email]
