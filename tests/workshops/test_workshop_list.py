"""The workshops listing: dates in each workshop's own time zone."""

import datetime

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]


def test_the_list_shows_dates_in_the_venues_time_zone(client, make_workshop):
    # 18:00 UTC on 25 June is midnight on 26 June in Dhaka (UTC+6).
    start = datetime.datetime(2031, 6, 25, 18, 0, tzinfo=datetime.UTC)
    make_workshop(title="Dhaka workshop", time_zone="Asia/Dhaka", start=start, end=start + datetime.timedelta(days=1))
    html = client.get("/workshops/").content.decode()
    assert "26 June 2031, 00:00" in html
    assert "25 June 2031" not in html
