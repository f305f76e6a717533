"""The FAQ: questions and answers in every language, found the way people type, rendered
safely, the same over the API."""

import pytest
from django.test import Client

from tandem.service.demo_faq import faq_demo_load
from tandem.service.markdown import markdown_html
from tandem.service.models import FaqCategory, FaqEntry
from tandem.service.selectors import faq_search

pytestmark = pytest.mark.django_db


@pytest.fixture
def faq():
    faq_demo_load()


def test_the_demo_answers_at_least_25_questions_in_every_language(faq):
    entries = list(FaqEntry.objects.all())
    assert len(entries) >= 25
    for entry in entries:
        for language in ("pl", "bg", "ru"):
            texts = entry.translations[language]
            assert texts["question"] and texts["answer"] and texts["question"] != entry.question
    assert all(category.translations["bg"]["name"] for category in FaqCategory.objects.all())
    assert faq_demo_load() == 0  # loaded once


@pytest.mark.parametrize(
    ("language", "query", "expected"),
    [
        ("pl", "gdzie znajde faktury", "Gdzie znajdę swoje faktury?"),  # no diacritics, another form
        ("pl", "limit kredytu", "Jaki mam limit kredytowy i ile z niego zostało?"),
        ("ru", "сколько стоит доставка", "Сколько стоит доставка?"),
        ("ru", "вернуть товар", "Как вернуть товар?"),
        ("bg", "фактура KSeF", "Изпращат ли се фактурите в KSeF?"),
        ("en", "track shipment", "How do I track my shipment?"),
    ],
)
def test_a_search_finds_the_answer_the_way_people_type_it(faq, language, query, expected):
    hits = faq_search(query, language)
    assert hits and hits[0].entry.tr("question", language) == expected


def test_the_page_shows_the_answers_in_the_readers_language_and_searches_them(faq, client: Client):
    client.cookies["django_language"] = "pl"
    page = client.get("/faq/").content.decode()
    assert "Jak złożyć zamówienie?" in page and "Płatności i faktury" in page
    assert page.count('data-testid="faq-entry"') == FaqEntry.objects.count()
    found = client.get("/faq/", {"q": "odbior osobisty"}).content.decode()
    assert "Czy mogę odebrać zamówienie osobiście?" in found
    assert "<strong>Odbiór osobisty</strong>" in found  # the answer's Markdown rendered
    nothing = client.get("/faq/", {"q": "qwertyuiop"}).content.decode()
    assert 'data-testid="faq-entry"' not in nothing


def test_an_answer_is_rendered_without_scripts_or_dangerous_links():
    html = markdown_html(
        "Read **this**: [docs](https://shop.example/docs) <script>alert(1)</script> "
        "[bad](javascript:alert(1)) <img src=x onerror=alert(1)>"
    )
    assert "<strong>this</strong>" in html and 'href="https://shop.example/docs"' in html
    assert "<script" not in html and 'href="javascript' not in html and "<img" not in html  # shown as text


def test_the_api_answers_everyone_in_the_asked_language_best_match_first(faq):
    answer = Client().get("/api/v1/faq", {"q": "jak zwrocic produkt", "language": "pl"})
    assert answer.status_code == 200
    first = answer.json()[0]
    assert first["question"] == "Jak zwrócić produkt?" and first["category"] == "returns"
    assert "<strong>Wiadomościach</strong>" in first["answer_html"] and first["score"] > 0
    everything = Client().get("/api/v1/faq", {"language": "bg"}).json()
    assert len(everything) == FaqEntry.objects.count() and everything[0]["category_name"] == "Поръчване"


def test_staff_answer_an_unanswered_question_in_the_faq_in_two_clicks(client):
    from tandem.service.models import FaqCategory, UnansweredQuestion
    from tests.factories import make_user

    admin = make_user("admin@shop.test", is_staff=True, is_superuser=True)
    client.force_login(admin)
    asked = UnansweredQuestion.objects.create(text="Do you deliver on Saturdays?", language="en")
    category = FaqCategory.objects.create(name="Delivery", slug="delivery-q")
    listing = client.get("/admin/service/unansweredquestion/").content.decode()
    link = f"/admin/service/faqentry/add/?question=Do+you+deliver+on+Saturdays%3F&amp;unanswered={asked.pk}"
    assert link in listing
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert 'value="Do you deliver on Saturdays?"' in form
    client.post(
        link.replace("&amp;", "&"),
        {
            "question": "Do you deliver on Saturdays?",
            "answer": "Yes, in Poland.",
            "category": category.pk,
            "sort_order": 0,
            "is_published": "on",
        },
    )
    asked.refresh_from_db()
    assert asked.handled
