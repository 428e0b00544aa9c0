"""corpus.clean: body, captions and removed segments on the seeds and small fixtures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus import clean, clean_evidence, clean_rules
from corpus.clean import (
    clean_document,
    is_caption,
    junk_kind,
    line_key,
    recurring_lines,
    split_segments,
)
from corpus.model import Document
from corpus.reader import read_paths

FIXTURES = Path(__file__).parent / "fixtures" / "clean"
GOLD = json.loads((FIXTURES / "seeds_gold.json").read_text(encoding="utf-8"))
SEED_DOCS = {Path(d.path).name: d for d in read_paths([FIXTURES / "seeds"]).documents}


def doc(text: str, **fields: str) -> Document:
    return Document(id="t", path="t.txt", text=text, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(GOLD))
def test_seed_body_has_every_gold_paragraph_and_no_boilerplate(name: str) -> None:
    gold = GOLD[name]
    result = clean_document(SEED_DOCS[name])
    assert len(result.paragraphs) == gold["body_paragraph_count"]
    for item in gold["boilerplate"]:
        assert item not in result.paragraphs
        assert item not in result.body or len(item) < 20  # short lines may recur in text
        assert item in result.removed or item.strip() in result.removed
    for caption in gold["captions"]:
        assert caption in result.captions
        assert caption not in result.body
    if gold["headline"]:
        assert gold["headline"] not in result.paragraphs


@pytest.mark.parametrize("name", sorted(GOLD))
def test_seed_metadata(name: str) -> None:
    gold = GOLD[name]
    result = clean_document(SEED_DOCS[name])
    assert result.date == gold["date"]
    assert result.source == gold["source"] == "The Independent"
    assert result.byline == gold["byline"]
    if gold["headline"]:
        assert result.title == gold["headline"]
    else:
        lede = result.paragraphs[0]
        assert lede.startswith(result.title.rstrip("…"))
        assert len(result.title) <= 101


def test_seed_nothing_is_lost() -> None:
    for document in SEED_DOCS.values():
        result = clean_document(document)
        segments = split_segments(document.text)
        kept = [*result.paragraphs, *result.captions, *result.removed]
        if result.title in segments and result.title not in kept:
            kept.append(result.title)  # a headline line is kept as the title
        assert sorted(kept) == sorted(segments)


def test_scraped_page_fixture_junk_kinds_go_to_removed() -> None:
    document = read_paths([FIXTURES / "formats" / "scraped_page.txt"]).documents[0]
    result = clean_document(document)
    assert result.title == "Town hall to install solar panels on its roof"
    assert result.date == "2024-03-12"
    assert result.byline == "Priya Shah"
    assert [p[:20] for p in result.paragraphs] == [
        "The town hall will h",
        "The panels were appr",
        "The mayor's office s",
        "Work is due to start",
    ]
    assert result.captions == (
        "The panels will be installed by a local firm chosen in an open tender "
        "(Photo: Ben Cole/Getty Images)",
    )
    for junk in (
        "Subscribe",
        "Sign in",
        "Share on Facebook",
        "Read more: Council budget approved",
        "Related stories",
        "Library hours extended",
        "Sign up for our daily newsletter",
        "Download our app on the App Store and Google Play",
        "© 2024 Example Local News. All rights reserved.",
    ):
        assert junk in result.removed


@pytest.mark.parametrize(
    ("segment", "kind"),
    [
        ("Your support helps us to tell the story. Support Now", "donation"),
        ("Subscribe to our newsletter", "promo"),
        ("Sign up to read this article", "promo"),
        ("Already a member? Sign in here", "promo"),
        ("Download the app", "promo"),
        ("Read more", "promo"),
        ("Related Stories", "promo"),
        ("Share on Facebook", "promo"),
        ("Facebook Twitter Email", "share"),
        ("We use cookies to give you the best experience on our site", "promo"),
        ("© 2019 Example Media. All rights reserved.", "copyright"),
        ("Advertisement", "promo"),
        ("34 responses to “Anthony Lynn: We needed to win”", "comments"),
        ("joetoronto says:", "comments"),
        ("Leia também: Outra notícia sobre o tema", "promo"),
        ("Вам также может быть интересно", "promo"),
        ("Teilen", "share"),
        ("Advert", "promo"),
        ("This slideshow requires JavaScript.", "promo"),
        ("Twelve issues delivered to your door. 12 issues for £11.99. Click here.", "promo"),
        ('[button link="http://example.org/submit" type="big"] Send us yours', "markup"),
        ('<img height="1" width="1" src="http://example.org/p.gif">', "markup"),
        ("No spam. You can unsubscribe at any time and we will never share your details.", "promo"),
        ("Have a tip? Jo Bell may be reached at jbell@example.com. Follow her on X.", "promo"),
        ("Need more? Subscribe to our sister title for the latest news on the missions.", "promo"),
        ("If you buy something through this post, we may get a share of the sale.", "promo"),
        ("Related: Possible water plumes on Europa, the discovery in images", "promo"),
        ("Related:", "promo"),
        ("Shares", "share"),
    ],
)
def test_junk_rules(segment: str, kind: str) -> None:
    assert junk_kind(segment) == kind


@pytest.mark.parametrize(
    "segment",
    [
        "A US bank has said it will donate more than $8m to victims, a court settlement shows.",
        "Japan's Honda has won a copyright case in Beijing, further evidence of a tougher line.",
        "He said readers should subscribe to the idea that the council had acted in good faith.",
        "The mayor told reporters the vote would go ahead on Tuesday.",
        "Search teams found the missing climber on Sunday.",
        "Close friends said he had been unwell.",
        "Print edition sales fell 5% in the year.",
        "Register offices will open on Saturdays from May, the council said.",
        "Comments made by the minister angered the opposition.",
        "Teilen die Experten diese Meinung?",
        "[Donald Trump’s] leadership should be commended, he said.",
        "Ad campaigns cost the party millions last year.",
        "More than a million fans follow her on Instagram, where she posts daily.",
        "The minister can be reached at short notice, her office said.",
        "Close of play scores in four-day matches on Thursday:",
        "Related news reached the markets on Friday, traders said.",
    ],
)
def test_junk_rules_leave_article_sentences_alone(segment: str) -> None:
    assert junk_kind(segment) is None


@pytest.mark.parametrize(
    "segment",
    [
        "open image in gallery Keir Starmer will meet Donald Trump next week in Washington ( AP )",
        "EU Commission president Ursula von der Leyen will be among those in Washington (AP)",
        "Sir Keir Starmer has reiterated the UK’s support (Carl Court/PA) ( PA Wire )",
        "The city square at dusk. Photograph: Jane Doe/The Guardian",
        "WeWork chairman Marcelo Claure (Credit: Getty Images)",
        "Photo: John Locher, AP",
        "Image copyright Getty Images",
        "Alex Wong | Getty Images",
    ],
)
def test_captions_are_recognised(segment: str) -> None:
    assert is_caption(segment)


@pytest.mark.parametrize(
    "segment",
    [
        "WASHINGTON (AP) — New uncertainty hangs over the primary as candidates meet again.",
        "Die elektronische Patientenakte (ePA) soll diesen Herausforderungen begegnen.",
        "The agency said it would publish the figures (which it called provisional) soon.",
    ],
)
def test_captions_do_not_take_article_sentences(segment: str) -> None:
    assert not is_caption(segment)


def test_caption_without_prefix_is_moved_out_of_the_body() -> None:
    text = (
        "Talks between the two leaders continued late into the night on Sunday, officials "
        "said, with several issues still open.\n\n"
        "The two leaders shake hands before the talks in Geneva (Reuters)\n\n"
        "A joint statement is expected on Monday morning, according to a spokesperson for "
        "the host government, who declined to give details."
    )
    result = clean_document(doc(text))
    assert result.captions == ("The two leaders shake hands before the talks in Geneva (Reuters)",)
    assert len(result.paragraphs) == 2


def test_bbc_style_article_keeps_every_paragraph_and_its_title() -> None:
    document = read_paths([FIXTURES / "formats" / "bbc_style.txt"]).documents[0]
    result = clean_document(document)
    assert result.title == "Harbour council approves new ferry timetable"
    assert result.paragraphs == tuple(split_segments(document.text)[1:])
    assert result.removed == ()


def test_short_one_sentence_paragraphs_are_kept_between_article_paragraphs() -> None:
    text = (
        "Storm warning for the coast\n\n"
        "The weather service issued an amber warning for the whole coast on Thursday, with "
        "gusts of up to 80mph expected overnight and heavy rain in the hills.\n\n"
        "Ferries were cancelled.\n\n"
        "Schools in three districts said they would stay closed on Friday as a precaution, "
        "and the police asked drivers to avoid all but essential journeys."
    )
    result = clean_document(doc(text))
    assert "Ferries were cancelled." in result.paragraphs
    assert len(result.paragraphs) == 3


def test_hard_wrapped_paragraphs_are_joined() -> None:
    text = (
        "The council met on Tuesday evening to discuss the plan for the new\n"
        "harbour wall, which engineers say is needed before the winter storms\n"
        "arrive, and voted to approve it.\n\nA second paragraph follows here, and it is "
        "also a complete sentence about the harbour."
    )
    assert split_segments(text)[0].endswith("voted to approve it.")
    assert len(split_segments(text)) == 2


def test_line_key_normalises_case_space_and_punctuation() -> None:
    assert line_key("  Sign up  for our NEWSLETTER! ") == line_key("sign up for our newsletter")
    assert line_key("Café") == line_key("CAFÉ")


def test_recurring_lines_needs_many_documents() -> None:
    footer = "Thanks for reading the Valley Post this week"
    docs = [
        doc(f"Story number {i} is about something else entirely in town.\n\n{footer}")
        for i in range(30)
    ]
    keys = recurring_lines(docs)
    assert line_key(footer) in keys
    assert not any(key.startswith("story number") for key in keys)
    assert recurring_lines(docs[:5]) == frozenset()  # a tiny corpus gives no signal
    assert recurring_lines(list(SEED_DOCS.values())) == frozenset()


def test_recurring_line_is_removed_even_when_it_reads_like_prose() -> None:
    footer = "Our reporters cover the valley every day, and we would love to hear from you."
    text = (
        "The valley bus service will run every half hour from May, the operator said on "
        "Wednesday, after a year of complaints about crowded morning buses.\n\n"
        "Passengers welcomed the change but said evening services were still too thin, "
        "especially on weekdays after seven o'clock.\n\n" + footer
    )
    plain = clean_document(doc(text))
    signalled = clean_document(doc(text), frozenset({line_key(footer)}))
    assert footer not in signalled.paragraphs
    assert footer in signalled.removed
    assert len(signalled.paragraphs) == 2
    assert len(plain.paragraphs) >= 2


def test_title_from_lede_when_no_headline() -> None:
    text = (
        "Volunteers cleared more than two tonnes of rubbish from the beach at the weekend in "
        "the biggest clean-up the town has seen, the organisers said. They plan another."
    )
    result = clean_document(doc(text))
    assert result.title.endswith("…")
    assert len(result.title) <= 92
    assert text.startswith(result.title[:-1])
    assert result.date is None


def test_json_metadata_wins_over_guesses() -> None:
    result = clean_document(
        doc(
            "The lighthouse reopened on Friday after months of repairs to its lantern.",
            title="Lighthouse reopens",
            date="March 9, 2024",
            byline="Sam Reed",
            source="Coast Gazette",
        )
    )
    assert (result.title, result.date, result.byline, result.source) == (
        "Lighthouse reopens",
        "2024-03-09",
        "Sam Reed",
        "Coast Gazette",
    )


def test_empty_text_gives_an_empty_body() -> None:
    result = clean_document(doc("   "))
    assert result.paragraphs == () and result.body == ""
    assert result.title


def test_unparseable_metadata_date_is_null_not_raw_text() -> None:
    result = clean_document(
        doc("The ferry ran late again on Monday, passengers said.", date="yesterday")
    )
    assert result.date is None
    assert clean_document(doc("text here.", date="2024-05-03T10:00:00Z")).date == "2024-05-03"


def test_title_line_that_reads_like_navigation_is_still_the_title() -> None:
    text = (
        "Search wars hit desktop PCs\n\n"
        "Another front in the battle between the big search firms opened this week, as "
        "two of them released tools that search the files on a home computer.\n\n"
        "Analysts said the tools showed how much the firms wanted to own the starting point "
        "of everything people do on their machines."
    )
    result = clean_document(doc(text))
    assert result.title == "Search wars hit desktop PCs"
    assert len(result.paragraphs) == 2 and result.removed == ()


def test_a_paragraph_needs_more_documents_than_a_line_to_count_as_recurring() -> None:
    shared = (
        "The Prime Minister said the talks had been constructive and that a further round "
        "would follow in the coming weeks, according to a statement released by his office."
    )
    docs = [doc(f"Story {i} opens differently from the rest.\n\n{shared}") for i in range(12)]
    assert line_key(shared) not in recurring_lines(docs[:6], min_docs=5)
    assert line_key(shared) in recurring_lines(docs, min_docs=5)
    assert line_key("Story 1 opens differently") not in recurring_lines(docs, min_docs=5)


def test_a_given_title_repeated_as_the_first_line_is_not_body() -> None:
    text = (
        "Lighthouse reopens\n\nThe old lighthouse on the north pier reopened to visitors on "
        "Friday after eight months of repairs to its lantern and stairs."
    )
    result = clean_document(doc(text, title="Lighthouse reopens"))
    assert result.title == "Lighthouse reopens"
    assert result.paragraphs == (text.split("\n\n")[1],)


LOAN_STORY = (
    "The company said the terms and conditions of the loan had changed. "
    + "Shares in the firm fell by 5% on Monday after the announcement, analysts said. " * 20
    + "A disclaimer was added to the filing, the regulator said."
)
PAYWALL_STORY = (
    "Readers who could not afford it were turned away when the paper put up paywalls. "
    + "The publisher said the number of readers had fallen by a third since January. " * 12
).strip()


@pytest.mark.parametrize("story", [LOAN_STORY, PAYWALL_STORY])
def test_a_long_paragraph_that_mentions_banner_phrases_is_not_junk(story: str) -> None:
    assert junk_kind(story) is None
    cleaned = clean_document(doc(story, title="Firm changes loan terms"))
    assert cleaned.paragraphs == (story,)  # a one-line JSON article keeps its body


def test_dense_banner_phrases_are_junk_at_any_length() -> None:
    footer = (
        "Apple logo, Apple TV and iPhone are registered trademarks of Apple Inc. "
        "This site is not intended to diagnose any illness. Terms and conditions apply. "
        "Our disclaimer covers every product on this page. "
    ) * 2
    banner = (
        "Your support helps us to tell the story. Please donate today. Support now. "
        "From reproductive rights to climate change, we need your support. "
    ) * 4
    assert len(footer) > 400 and len(banner) > 500
    assert junk_kind(footer) == "legal"
    assert junk_kind(banner) == "donation"


NEEDLE_SAMPLES = {
    "donation": [
        "Your support matters",
        "SUPPORT NOW",
        "your donation",
        "Donate now",
        "donate today",
        "donate here",
        "Please donate",
        "make a donation",
        "support our journalism",
        "support independent journalism",
        "support quality journalism",
        "no paywalls",
        "could not afford it",
    ],
    "legal": [
        "Registered trademarks",
        "a trademark of",
        "not intended to diagnose",
        "not intended to be",
        "for informational purposes",
        "Terms and Conditions",
        "Disclaimer",
        "affiliate links",
        "Affiliate commission",
        "This site uses",
        "this website is",
        "this site may",
        "this website contains",
        "By using",
        "by continuing",
        "By clicking",
        "opens in a new window",
        "Opens in new window",
    ],
    "copyright": ["© 2019", "(c) Example", "Copyright 2019", "All rights reserved", "copyright"],
    "strong_cta": [
        "Click here",
        "tap here",
        "Subscribe now",
        "subscribe today",
        "Sign up now",
        "sign up today",
        "sign up here",
        "Free trial",
        "12 issues for",
        "delivered to your door",
        "delivered through your letterbox",
        "requires JavaScript",
        "enable javascript",
        "Your browser does not support",
        "your browser doesn't support",
    ],
}


@pytest.mark.parametrize("rule", sorted(NEEDLE_SAMPLES))
def test_every_match_of_a_junk_pattern_holds_one_of_its_needles(rule: str) -> None:
    # the substring pre-test must never hide a match: one sample per pattern alternative
    pattern, needles = {
        "donation": (clean_rules._DONATION, clean_rules._DONATION_NEEDLES),
        "legal": (clean_rules._LEGAL, clean_rules._LEGAL_NEEDLES),
        "copyright": (clean_rules._COPYRIGHT, clean_rules._COPYRIGHT_NEEDLES),
        "strong_cta": (clean_rules._STRONG_CTA, clean_rules._STRONG_CTA_NEEDLES),
    }[rule]
    for sample in NEEDLE_SAMPLES[rule]:
        assert pattern.search(sample), sample
        assert clean_rules._may_match(clean_rules._lowered_for_needles(sample), needles), sample


@pytest.mark.parametrize(
    ("segment", "kind"),
    [
        ("Terms and condİtİons apply", "legal"),  # re.IGNORECASE: İ matches i
        ("Your ſupport helps us to tell the story", "donation"),  # ſ matches s
        ("See our dıscLAIMER", "legal"),  # dotless ı matches i
    ],
)
def test_junk_rules_match_case_variants_that_lower_does_not_fold(segment: str, kind: str) -> None:
    assert junk_kind(segment) == kind


@pytest.mark.parametrize(
    "text",
    [
        "The Mayor's BUDGET_2025 rose 5.5% -- to $3bn (approx.) on Monday!",
        "  Tabs\tand   spaces  ",
        "Café OWNERS in Zürich said „nein“.",
        "ﬁnance ＦＵＬＬＷＩＤＴＨ",
    ],
)
def test_a_segments_recurrence_key_is_line_key(text: str) -> None:
    # the ASCII shortcut in classify_segment must give the key recurring_lines computes
    assert clean_evidence.classify_segment(text, frozenset()).key == line_key(text)


def test_split_segments_turns_every_run_of_horizontal_space_into_one_space() -> None:
    text = "One \u00a0 two\t\tthree  four\u3000five\u2009six seven \n\n \u00a0\n\nNext\tline"
    assert split_segments(text) == ["One two three four five six seven", "Next line"]


def test_the_last_paragraph_after_an_inline_links_box_is_the_articles() -> None:
    menu = "\n\n".join(["Home", "News", "World", "Sport", "Weather", "Video", "Contact us"])
    teasers = "\n\n".join(
        [
            "Ferry fares to rise in the spring",
            "Market hall reopens after repairs",
            "Council tax bills explained",
            "Top Video",
        ]
    )
    text = (
        f"{menu}\n\nBridge plan approved after ten years\n\n"
        "The city council on Thursday approved plans for a new bridge across the river, ending a "
        "decade of argument over how best to link the two halves of the town.\n\n"
        "The agency said the crossing would carry buses, bicycles and people on foot, and that the "
        "work would take about three years once a contractor had been chosen.\n\n"
        "Councillors who had opposed the plan said they would now support it, after changes to the "
        "design that keep the old quay open to fishing boats.\n\n"
        "Related Links\n\nCity council website\n\n"
        "Work is expected to begin next spring, and residents will be asked about the design of "
        "the footpaths and the lighting at public meetings in the town hall in the summer.\n\n"
        f"{teasers}"
    )
    result = clean.clean_document(Document(id="x", path="x.txt", text=text, format="txt"))
    assert result.paragraphs[-1].startswith("Work is expected to begin next spring")
    assert "Ferry fares to rise in the spring" not in result.paragraphs
    assert "Related Links" not in result.paragraphs
