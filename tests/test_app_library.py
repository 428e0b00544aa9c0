"""The reader's corrections in the app's corpus views and filters (issue 15): a person marked
"not an entity" leaves People and the entity filter, a corrected speaker is in Who said what
and the speaker filter. Before `store.library`, only the article view applied them."""

from __future__ import annotations

from pathlib import Path

from test_app import SIZE, build_app, reader, seed_articles, settle, sync

from store import AnnotationStore
from store.model import NOT_AN_ENTITY, SPEAKER_PREFIX
from tui.listing import ActiveFilter
from tui.screens.filter_screen import FilterChoice


def person_in_one_article() -> tuple[str, str, list[tuple[int, int, str]]]:
    """(article id, PERSON canonical name only that article names, its mentions' spans)."""
    articles = seed_articles()
    seen: dict[str, set[str]] = {}
    for article in articles:
        for entity in article.entities:
            if entity.label == "PERSON":
                seen.setdefault(entity.canonical, set()).add(article.id)
    name = next(n for n, ids in sorted(seen.items()) if len(ids) == 1)
    (article_id,) = seen[name]
    article = next(a for a in articles if a.id == article_id)
    spans = [(e.start, e.end, e.text) for e in article.entities if e.canonical == name]
    return article_id, name, spans


@sync
async def test_a_dismissed_person_leaves_people_and_the_entity_filter(tmp_path: Path) -> None:
    article_id, name, spans = person_in_one_article()
    store = AnnotationStore(tmp_path / "annotations.json")
    for start, end, text in spans:
        store.add_span(article_id, start, end, text, "entity", NOT_AN_ENTITY)
    app = build_app(tmp_path, store=store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        shown = {s.canonical for s in app.screen.shown}  # type: ignore[attr-defined]
        assert name not in shown and shown  # the others are there
        await pilot.press("escape")
        await settle(pilot)
        screen = reader(app)
        screen.add_mention_filters(FilterChoice("entity", name))
        await settle(pilot)
        (active,) = screen.filters
        assert isinstance(active, ActiveFilter) and active.ids == frozenset()


@sync
async def test_a_corrected_speaker_is_in_who_said_what_and_its_filter(tmp_path: Path) -> None:
    article = next(a for a in seed_articles() if any(q.speaker for q in a.quotes))
    quote = next(q for q in article.quotes if q.speaker)
    store = AnnotationStore(tmp_path / "annotations.json")
    text = article.body[quote.start : quote.end]
    label = SPEAKER_PREFIX + "Zelda Quartermain"
    store.add_span(article.id, quote.start, quote.end, text, "quote", label)
    app = build_app(tmp_path, store=store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        speakers = {s.name for s in app.screen._speakers}  # type: ignore[attr-defined]
        assert "Zelda Quartermain" in speakers
        await pilot.press("escape")
        await settle(pilot)
        screen = reader(app)
        screen.add_mention_filters(FilterChoice("speaker", "Zelda Quartermain"))
        await settle(pilot)
        (active,) = screen.filters
        assert isinstance(active, ActiveFilter) and active.ids == {article.id}
