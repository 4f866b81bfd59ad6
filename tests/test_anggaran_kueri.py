"""Query budgets: every main page makes at most 15 queries, the same count at 1x and 10x data.

Filled in page by page as the pages land (issue 8).
"""

from django.urls import reverse


def test_sehat_answers_without_login_and_without_queries(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("sehat"))
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_sehat_refuses_post(client, db):
    assert client.post(reverse("sehat")).status_code == 405
