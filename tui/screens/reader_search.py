"""What narrows the reader screen's sidebar, asked for in dialogs: `/` a search (its hits
replace the sidebar), `f` a filter (or clear them), `F` remove one, `'` apply a saved line
from the config, and what a corpus-wide view asks for on closing (a filter by entity,
speaker or dates, or an article to open).

Filters on tags, stars, read marks, sources and dates apply at once (`tui.listing`); a
search, and an entity or speaker filter, read article bodies, so a worker does them.
"""

from __future__ import annotations

import shlex
from functools import partial
from typing import TYPE_CHECKING, cast

from rich.text import Text

from tui.listing import ActiveFilter
from tui.messages import SearchDone
from tui.screens.filter_screen import FilterChoice, FilterScreen
from tui.screens.pick_one import PickOne
from tui.screens.reader_marks import tag_counts
from tui.screens.search_prompt import SearchPrompt
from tui.widgets.article_list import ArticleList
from tui.workers import run_in_thread, search

if TYPE_CHECKING:
    from tui.screens.reader import ReaderScreen

SUGGESTED_SOURCES = 20_000
"""The summaries looked through for the source names the filter dialog suggests."""


def ask_search(screen: ReaderScreen) -> None:
    """`/`: search the corpus (the last query is offered again)."""

    def chosen(query: str | None) -> None:
        if query and screen.source is not None:
            screen.notify(Text("Searching for ").plain + query, timeout=2, markup=False)
            args = (screen.source, query, dict(screen.annotations))
            job = partial(search.run_search, screen.post_message, *args)
            run_in_thread(screen, job, name="run_search", group="search")

    screen.app.push_screen(SearchPrompt(screen.search.query if screen.search else ""), chosen)


def search_done(screen: ReaderScreen, event: SearchDone) -> None:
    """The hits replace the sidebar (esc returns to the list); `n`/`N` step between matches."""
    if event.state is None:
        screen.notify(f"Search failed: {event.error}", severity="error", markup=False)
        return
    screen.article_display.match_at = None
    screen.search = event.state
    count = len(event.state.hits)
    screen.notify(f"{count} match{'es' if count != 1 else ''} · esc returns to the list", timeout=3)
    article_list = screen.query_one(ArticleList)
    article_list.focus()
    if article_list.cursor_article_id:
        screen.show_article(article_list.cursor_article_id)


def filter_suggestions(screen: ReaderScreen) -> dict[str, list[str]]:
    """What the filter dialog completes, by kind: tags (most used first), sources, and the
    open article's entities and speakers."""
    summaries = screen.listing.sourced_summaries()[:SUGGESTED_SOURCES]
    sources = sorted({s.source for s in summaries if s.source})
    entities: list[str] = []
    speakers: list[str] = []
    if screen.article is not None:
        entities = sorted({e.canonical or e.text for e in screen.article.entities})
        speakers = sorted({q.speaker for q in screen.article.quotes if q.speaker})
    return {
        "tag": [t for t, _ in tag_counts(screen).most_common()],
        "source": sources,
        "entity": entities,
        "speaker": speakers,
    }


def ask_filter(screen: ReaderScreen) -> None:
    """`f`: add a filter, or clear them all."""

    def chosen(choice: FilterChoice | None) -> None:
        if choice is None:
            return
        if choice.kind == "clear":
            screen.filters = []
        elif choice.kind in ("entity", "speaker"):
            screen.add_mention_filters(choice)
        else:
            screen.add_filter(ActiveFilter(choice.kind, choice.value))

    screen.app.push_screen(
        FilterScreen(filter_suggestions(screen), [f.label for f in screen.filters]), chosen
    )


def ask_remove_filter(screen: ReaderScreen) -> None:
    """`F`: remove one of the active filters (`f` → Clear all removes them all)."""
    if not screen.filters:
        screen.notify("No filter to remove", timeout=2)
        return
    if len(screen.filters) == 1:
        _drop_filter(screen, screen.filters[0])
        return
    labels = [f.label for f in screen.filters]

    def chosen(label: str | None) -> None:
        found = next((f for f in screen.filters if f.label == label), None)
        if found is not None:
            _drop_filter(screen, found)

    screen.app.push_screen(PickOne("Remove which filter?", labels), chosen)


def _drop_filter(screen: ReaderScreen, active: ActiveFilter) -> None:
    filters = list(screen.filters)
    filters.remove(active)
    screen.filters = filters
    screen.notify(f"Filter {active.label} removed", timeout=2)


def ask_saved_filter(screen: ReaderScreen) -> None:
    """`'`: apply one of the config's saved filters ([filters]), in place of the active ones."""
    config = screen.nr_app.config
    saved = config.saved_filters
    if not saved:
        current = " ".join(shlex.quote(f.label) for f in screen.filters) or "tag:x unread"
        screen.notify(
            f"No saved filters yet. Add them to {config.path} as\n"
            f'[filters]\nmy-filter = "{current}"',
            timeout=10,
        )
        return
    names = list(saved)
    shown = [f"{name}  ({saved[name]})" for name in names]

    def chosen(picked: str | None) -> None:
        if picked is None:
            return
        name = names[shown.index(picked)]
        apply_filter_line(screen, saved[name])

    screen.app.push_screen(
        PickOne("Saved filters", shown, hint="enter applies (in place of the active ones)"),
        chosen,
    )


def apply_filter_line(screen: ReaderScreen, line: str) -> None:
    """Set the filters to those of a saved line ("tag:important unread source:sport")."""
    from tui.config import parse_filter_line

    immediate: list[ActiveFilter] = []
    computed: list[FilterChoice] = []
    for kind, value in parse_filter_line(line):
        if kind in ("entity", "speaker"):
            computed.append(FilterChoice(kind, value))
        else:
            immediate.append(ActiveFilter(kind, value))
    screen.filters = immediate
    if computed:
        screen.add_mention_filters(*computed)


def corpus_view_chosen(screen: ReaderScreen, choice: tuple[str, object] | None) -> None:
    """Act on what a corpus-wide view (or the compare view) asked for as it closed:
    `("filter-entity", name)`, `("filter-speaker", name)`, `("filter-dates", (first, last))`
    or `("open-article", article_id)`."""
    if not choice:
        return
    what, value = choice
    if what == "filter-entity":
        screen.add_mention_filters(FilterChoice("entity", cast(str, value)))
    elif what == "filter-speaker":
        screen.add_mention_filters(FilterChoice("speaker", cast(str, value)))
    elif what == "filter-dates":
        first, last = cast("tuple[str, str]", value)
        screen.add_filter(ActiveFilter("date", f"{first}..{last}"))
    elif what == "open-article":
        screen.open_article(cast(str, value))
