"""Guichet's own error pages, in the visitor's language, with the site's layout."""

from django.test import Client
from django.urls import reverse


def test_it_shows_its_own_404_page_in_french(client, db, settings):
    settings.DEBUG = False
    response = client.get("/nowhere/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Guichet" in body and 'lang="fr-CA"' in body
    assert reverse("set_language") in body  # the language switch is there


def test_it_shows_its_own_404_page_in_english(client, db, settings):
    settings.DEBUG = False
    response = client.get("/nowhere/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Page not found" in response.content.decode()


def test_it_shows_its_own_403_page(client, db, settings, applicant):
    settings.DEBUG = False
    client.force_login(applicant)
    response = client.get(reverse("reporting:dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()


def test_it_explains_an_expired_form(db, settings, applicant):
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True)
    client.force_login(applicant)
    response = client.post(reverse("accounts:logout"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "The form has expired" in response.content.decode()


def test_it_renders_the_500_page_without_a_request_context():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Guichet" in html and "<h1>" in html
