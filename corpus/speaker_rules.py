"""The hand-written readings: the mention and cue the words around a quotation give.

For every quotation `RuleReader.attribute_one` looks at the rest of its sentence, outside any
quote:

- a quote that opens its sentence ("“…,” said Caddell.", "“…,” he said.", "“…,” a Downing
  Street spokesman added.") takes the cue after it, in either order;
- a quote inside or at the end of a sentence ("Sir Keir said: “…”", "accused France of
  having “done nothing”", "is expected to warn Mr Trump not to “be weak”") takes the nearest
  cue before it, whose subject is found by walking left over auxiliaries, adverbs and
  appositives ("David Frost, director general of …, warned"); "according to X" and
  "said X:" take the noun phrase after the cue;
- a quote with no cue of its own that opens its sentence continues the previous quotation
  (same speaker, cue None) or, when it opens a paragraph, takes the speaker of the
  sentence before it ("Caddell continued:"); a person the sentence just before introduces
  ("Treasury Secretary John Snow put a brave face on it, saying …") speaks it instead;
- in "He added [that] the council had pledged “…”" the reporting clause's subject speaks.

The mention found is named by `corpus.speaker_names`. Each reading says in its `how` which
rules found it (a feature of the learned choice, which also asks `from_after`, `from_before`
and `from_previous_paragraph` for their readings: `corpus.quote_candidates`).
"""

from __future__ import annotations

from bisect import bisect_left
from typing import overload

from corpus.lexicon import AUX_CHAIN, DASHES, OBLIQUE_PREPOSITIONS, PASSIVE_AUXILIARIES, SAY_VERBS
from corpus.quote_spans import QuoteSpan
from corpus.speaker_cues import CueReader
from corpus.speaker_names import SpeakerNamer
from corpus.speaker_phrases import PhraseWalker
from corpus.speaker_tokens import Attribution, SpeakerDocument, Token

_WINDOW = 300
_AFTER_WINDOW = 160


@overload
def _how(result: Attribution, how: str) -> Attribution: ...
@overload
def _how(result: Attribution | None, how: str) -> Attribution | None: ...
def _how(result: Attribution | None, how: str) -> Attribution | None:
    """`result` with the name of the rule that found it prefixed to its `how`."""
    if result is not None:
        result.how = f"{how}|{result.how}" if result.how else how
    return result


class RuleReader:
    """The rules' reading of each quotation of one body (`doc`)."""

    def __init__(
        self,
        doc: SpeakerDocument,
        cues: CueReader,
        phrases: PhraseWalker,
        namer: SpeakerNamer,
    ) -> None:
        self.doc = doc
        self.cues = cues
        self.phrases = phrases
        self.namer = namer

    def attribute_one(
        self, number: int, quote: QuoteSpan, kind: str, previous: list[Attribution]
    ) -> Attribution:
        """The rules' reading of quotation `number` (`kind`: "direct"/"scare"), given the
        readings of the quotations before it (`previous`)."""
        doc = self.doc
        paragraph = self.doc.paragraph_of(quote.start)
        paragraph_start = doc.paragraph_starts[paragraph]
        last_paragraph = self.doc.paragraph_of(quote.end - 1)
        paragraph_end = (
            doc.paragraph_starts[last_paragraph + 1]
            if last_paragraph + 1 < len(doc.paragraph_starts)
            else len(doc.body)
        )
        prior_end = doc.quotes[number - 1].end if number else 0
        before_start = max(paragraph_start, prior_end, quote.start - _WINDOW)
        following = doc.quotes[number + 1].start if number + 1 < len(doc.quotes) else len(doc.body)
        after_end = min(paragraph_end, following, quote.end + _AFTER_WINDOW)

        window = self.doc.window_tokens(before_start, quote.start)
        before = self.doc.sentence_tail(window)
        after = self._sentence_head(
            quote, self.doc.window_tokens(quote.end, after_end), after_end == paragraph_end
        )
        opens_sentence = not any(t.text[0].isalnum() for t in before)
        previous_result = previous[-1] if previous else None
        # The previous quotation is in the same sentence ("Mr Trump said “…” was made with
        # “…” agreed"): its speaker governs this one unless this one has its own.
        shares_sentence = (
            number > 0
            and before_start == prior_end
            and len(before) == len(window)
            and not self.doc.ends_sentence(doc.quotes[number - 1])
        )

        result: Attribution | None = None
        inner_last = self.doc.inner_last(quote)
        if opens_sentence:
            result = _how(self.from_after(after), "opens")
        elif inner_last == "," and (result := self.from_after(after)) is not None:
            result.how = "comma|" + result.how
            # "…: “…,” the union wrote": the attribution that closes the quote wins
        else:
            result = _how(self.from_before(before), "inside")
            if result is None:
                result = _how(self.from_after(after), "inside_after")
                if result is not None and kind == "scare" and result.cue != "according to":
                    result = None  # a term used in the sentence, not the words of its subject
        if (
            (result is None or result.speaker is None)
            and shares_sentence
            and previous_result is not None
            and previous_result.speaker is not None
        ):
            cue = previous_result.cue
            if result is not None and result.cue is not None and result.cue_end is not None:
                cue_start = result.cue_end - len(result.cue)
                if doc.body[prior_end:cue_start].strip():
                    cue = result.cue  # "… “dictator” and said …": this clause's own cue
            return Attribution(
                previous_result.speaker,
                previous_result.speaker_start,
                previous_result.speaker_end,
                cue,
                previous_result.gender,
                previous_result.is_person,
                how="shares_sentence",
            )
        if result is not None:
            return result
        if not opens_sentence:
            if kind == "direct" and (result is None or result.speaker_start is None):
                # Quoted words with no reporting verb ("the PM using his call to “…”"):
                # the nearest subject before them, with no cue.
                span = self.phrases.subject_before(before)
                if span is not None:
                    return _how(self.namer.make(span, None), "subject_no_cue")
            return result if result is not None else Attribution()
        # A quote-only sentence: it continues the previous quotation, or (opening a
        # paragraph) belongs to the speaker of the sentence before.
        previous_quote = doc.quotes[number - 1] if number else None
        previous_result = previous[-1] if previous else None
        at_paragraph_start = quote.start == paragraph_start
        own_cue = any(self.cues.cue_at(after, k) for k in range(len(after)))
        if at_paragraph_start and paragraph > 0 and not own_cue:
            introduced = self.from_previous_paragraph(paragraph)
            if introduced is not None:
                return _how(introduced, "prev_para")
        elif not own_cue and window:
            # "Treasury Secretary John Snow put a brave face on it, saying … “…”": a person
            # the sentence before introduces speaks now, not the previous quote's speaker.
            introduced = self._from_sentence_before(
                window,
                before_start == prior_end
                and number > 0
                and not self.doc.ends_sentence(doc.quotes[number - 1]),
            )
            if (
                introduced is not None
                and introduced.is_person
                and introduced.speaker is not None
                and introduced.speaker[:1].isupper()  # a name, not "the world champion"
                and (previous_result is None or introduced.speaker != previous_result.speaker)
            ):
                return _how(introduced, "prev_sent")
        if (
            previous_quote is not None
            and previous_result is not None
            and previous_result.speaker is not None
            and self.doc.paragraph_of(previous_quote.end - 1) >= paragraph - 1
        ):
            return Attribution(
                previous_result.speaker,
                previous_result.speaker_start,
                previous_result.speaker_end,
                None,
                previous_result.gender,
                previous_result.is_person,
                how="continues",
            )
        return Attribution()

    def _from_sentence_before(self, window: list[Token], after_quote: bool) -> Attribution | None:
        """The speaker the last whole sentence of `window` names: the subject of its cue,
        else the subject that opens it; with no cue of the quote's own. None when that
        sentence is the attribution of the quote before (`after_quote`: `window` starts
        where a quote that does not end its sentence ends: "“…,” Paul Goosens told the BBC.")."""
        tokens = list(window)
        while tokens and tokens[-1].text in ".?!":
            tokens.pop()
        tokens = self.doc.sentence_tail(tokens)
        if not tokens or (after_quote and tokens[0] is window[0]):
            return None
        found = self.from_before(tokens)
        if found is None or found.speaker is None:
            span = self.phrases.np_right(tokens, 0, need_verb=True)
            found = self.namer.make(span, None) if span is not None else None
        if found is not None:
            found.cue = None
        return found

    def from_previous_paragraph(self, paragraph: int) -> Attribution | None:
        """The cue of the last sentence of the paragraph before ("He added:")."""
        doc = self.doc
        start = doc.paragraph_starts[paragraph - 1]
        end = doc.paragraph_starts[paragraph]
        text_end = end
        while text_end > start and doc.body[text_end - 1].isspace():
            text_end -= 1
        ends_with_colon = text_end > start and doc.body[text_end - 1] == ":"
        k = bisect_left(doc.quote_starts, end) - 1
        if k >= 0 and doc.quotes[k].end > start:
            if doc.quotes[k].end >= text_end - 1:
                return None  # the paragraph before ends with a quotation
            start = doc.quotes[k].end
        tokens = self.doc.window_tokens(max(start, text_end - _WINDOW), text_end)
        while tokens and tokens[-1].text in ".?!:":
            tokens.pop()
        tokens = self.doc.sentence_tail(tokens)
        found = self.from_before(tokens)
        if found is not None and not found.is_person and (found.speaker or "")[:1].islower():
            # "The plan was then defended by the council leader, Sarah Mills.": a thing is no
            # speaker; the person the sentence names last is.
            named = self._last_person_in(tokens[0].start if tokens else start, text_end)
            if named is not None:
                found = _how(self.namer.make(named, None), "last_person")
        if found is None and tokens:
            # No cue: the person who opens that sentence ("Ms Reed spoke first.").
            span = self.phrases.np_right(tokens, 0, need_verb=True)
            if span is not None:
                found = self.namer.make(span, None)
                if not found.is_person:
                    return None
        if found is not None and not ends_with_colon:
            found.cue = None
        return found

    def _last_person_in(self, start: int, end: int) -> tuple[int, int] | None:
        """The span of the last person mention in body[start:end], or None."""
        doc = self.doc
        k = bisect_left(doc.person_starts, end) - 1
        while k >= 0 and doc.persons[k].start >= start:
            person = doc.persons[k]
            if person.end <= end:
                return person.start, person.end
            k -= 1
        return None

    def _sentence_head(
        self, quote: QuoteSpan, tokens: list[Token], reaches_paragraph_end: bool
    ) -> list[Token]:
        """The tokens of the rest of the quote's sentence, or [] when the quote ended it."""
        inner_last = self.doc.inner_last(quote)
        sentence_ends = reaches_paragraph_end
        for i in range(len(tokens)):
            if self.doc.is_boundary(tokens, i):
                tokens = tokens[:i]
                sentence_ends = True
                break
        if inner_last and inner_last in ".?!…" and tokens:
            # The quotation ended its sentence; only a short attribution sentence may follow
            # ("“We won.” Trump said." / "“Why?” he asked."), not the start of the next
            # sentence ("“…” He added that he would “…”").
            if tokens[0].text[0].islower() or tokens[0].text in DASHES:
                return tokens
            if sentence_ends and any(
                self.cues.cue_at(tokens, k) for k in range(min(5, len(tokens)))
            ):
                return tokens
            return []
        return tokens

    def from_after(self, tokens: list[Token]) -> Attribution | None:
        """Attribution from the words after a quote: "said X", "X said", "― X"."""
        if tokens and tokens[0].text in DASHES:
            span = self.phrases.np_right(tokens, 1)
            if span is not None:
                return _how(self.namer.make(span, (tokens[0].start, tokens[0].end)), "dash")
        i = 0
        while i < len(tokens) and tokens[i].text in ",—–-(":
            i += 1
        limit = min(len(tokens), i + 25)
        for k in range(i, limit):
            length = self.cues.cue_at(tokens, k)
            if not length:
                continue
            cue = self.cues.cue_text(tokens, k, length)
            if (
                k == i
                or tokens[k].lower == "according"
                or all(t.lower in AUX_CHAIN for t in tokens[i:k])
            ):
                # Inverted: "said Caddell", "according to The Telegraph".
                span = self.phrases.np_right(tokens, k + length)
                if span is None and tokens[k].lower in {"told", "tells"}:
                    continue
                if span is None:
                    return None
                return _how(self.namer.make(span, cue), "inverted")
            span = self.phrases.np_left(tokens, k, i)
            if span is None:
                continue
            return _how(self.namer.make(span, cue), "subject_after")
        return None

    def from_before(self, tokens: list[Token]) -> Attribution | None:
        """Attribution from the words before a quote: the nearest cue and its subject."""
        cue: tuple[int, int] | None = None
        cue_index = len(tokens)
        for k in range(len(tokens) - 1, -1, -1):
            length = self.cues.cue_at(tokens, k)
            if not length:
                continue
            this_cue = self.cues.cue_text(tokens, k, length)
            if cue is None:
                cue = this_cue
                cue_index = k
            span = self.phrases.np_left(tokens, k, 0)
            participle = tokens[k].lower.endswith("ing") and k > 0 and tokens[k - 1].text == ","
            if span is not None:
                first = k - 1
                while first > 0 and tokens[first - 1].end > span[0]:
                    first -= 1
                if (
                    tokens[k].lower.endswith("ing")
                    and tokens[k].lower != "according"
                    and first > 0
                    and tokens[first - 1].lower in OBLIQUE_PREPOSITIONS
                ):
                    # "… no plan for an invasion of the country saying: “…”": a phrase
                    # inside the clause is not the participle's subject; the sentence's is.
                    span = None
                    participle = True
                else:
                    outer = self._reporting_clause_before(tokens, first)
                    if outer is not None:
                        return _how(outer, "outer_cue")
            if span is None and (
                tokens[k].lower == "according"
                # ", said X:" is inverted; in ", adding it would …" the words after the
                # participle are the reported clause (its subject is the sentence's).
                or ((k == 0 or tokens[k - 1].text == ",") and not participle)
            ):
                span = self.phrases.np_right(tokens, k + length)
            if span is not None:
                return _how(self.namer.make(span, cue), "cue_subject")
            if participle:
                break  # "X dismissed the claims, saying …": X speaks, below
        if cue is None:
            if tokens and tokens[-1].text == ":":
                # "X is rolling out a new message: “…”": the subject of the clause.
                span = self.phrases.clause_subject(tokens[:-1])
                if span is not None:
                    return _how(self.namer.make(span, None), "colon_subject")
            return None
        head = tokens[:cue_index]
        cue_word = tokens[cue_index].lower if cue_index < len(tokens) else ""
        if (
            cue_word.endswith("ing")
            and cue_index > 0
            and tokens[cue_index - 1].text in {",", "while"}
        ):
            # "Protesters continued to …, while chanting": the subject of the sentence.
            span = self.phrases.clause_subject(head)
            if span is None or self.doc.body[span[0] : span[1]].lower() == "it":
                span = self.phrases.subject_before(head) or span
            how = "participle_subject"
        else:
            span = self.phrases.subject_before(head) or self.phrases.clause_subject(head)
            how = "far_subject"
        if span is not None:
            return _how(self.namer.make(span, cue), how)
        return Attribution(cue=self.doc.body[cue[0] : cue[1]], cue_end=cue[1])

    def _reporting_clause_before(self, tokens: list[Token], first: int) -> Attribution | None:
        """The speaker of a cue whose reported clause starts at token `first`: "He added
        [that] the government had pledged “…”" is his report, not the government's words."""
        m = first - 1
        if m >= 0 and tokens[m].lower == "that":
            m -= 1
        for length in (1, 2, 3):
            j = m - length + 1
            if j < 0 or self.cues.cue_at(tokens, j) != length:
                continue
            if tokens[j].lower not in SAY_VERBS or (
                j > 0 and tokens[j - 1].lower in PASSIVE_AUXILIARIES
            ):
                return None  # only "X said/added [that] …", not "… was announced"
            span = self.phrases.np_left(tokens, j, 0)
            if span is None:
                return None
            return self.namer.make(span, self.cues.cue_text(tokens, j, length))
        return None
