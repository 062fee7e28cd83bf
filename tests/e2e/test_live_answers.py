"""Answering a session and joining a community with htmx, by keyboard: the pressed button says
so (aria-pressed), the count and the list of people change in place, focus stays on the button
and the message appears once, in the page's live region."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.browser import assert_accessible, visit
from tests.factories import CommunityFactory, MembershipFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.browser


def test_rsvp_updates_in_place_keeps_focus_and_says_it_once(new_page, sign_in, transactional_db):
    guild = CommunityFactory(name="Data-gilde", slug="data-gilde")
    mia = UserFactory(email="mia@example.org", display_name="Mia Member", language="en")
    MembershipFactory(user=mia, community=guild)
    session = SessionFactory(
        community=guild,
        format="brown_bag",
        title="Lunch over dbt",
        start=timezone.now() + timedelta(days=3),
        location="Zaal 2",
        capacity=None,
    )
    page = new_page(locale="en-GB")
    sign_in(page, mia)
    visit(page, f"/sessions/{session.pk}/")
    expect(page.locator("#rsvp-panel .seats")).to_contain_text("0 people going")
    expect(page.locator("#people")).to_contain_text("Nobody has said they are coming yet.")

    going = page.locator("#rsvp-going")
    going.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#my-status")).to_contain_text("You are going.")
    expect(page.locator("#rsvp-going")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#rsvp-declined")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#rsvp-panel .seats")).to_contain_text("1 person going")
    expect(page.locator("#people .member-list")).to_contain_text("Mia Member")
    expect(page.locator("#rsvp-going")).to_be_focused()
    expect(page.locator("#messages .message")).to_have_count(1)
    expect(page.locator("#messages")).to_have_attribute("aria-live", "polite")
    expect(page.locator("#messages")).to_have_text("You are going. See you there!")
    assert page.get_by_text("You are going. See you there!").count() == 1
    assert_accessible(page)

    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # past "Maybe" to "Not going"
    expect(page.locator("#rsvp-declined")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#rsvp-declined")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#rsvp-going")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#rsvp-panel .seats")).to_contain_text("0 people going")
    expect(page.locator("#rsvp-declined")).to_be_focused()
    expect(page.locator("#messages .message")).to_have_count(1)
    expect(page.locator("#messages")).to_have_text("Saved: you are not going.")
    assert_accessible(page)


def test_join_says_welcome_once(new_page, sign_in, transactional_db):
    CommunityFactory(name="Open-gilde", slug="open-gilde", join_policy="open")
    bo = UserFactory(email="bo@example.org", display_name="Bo", language="en")
    page = new_page(locale="en-GB")
    sign_in(page, bo)
    visit(page, "/communities/open-gilde/")
    page.get_by_role("button", name="Join this community").click()
    expect(page.locator("#membership-actions")).to_contain_text("You are a member")
    expect(page.locator("#messages")).to_have_text("Welcome! You are now a member.")
    assert page.get_by_text("Welcome! You are now a member.").count() == 1
    assert_accessible(page)
