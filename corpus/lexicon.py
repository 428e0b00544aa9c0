"""The word lists of the speaker attribution, in one place.

Hand-compiled lists the quote modules (`corpus.speaker_*`, `corpus.quote_speakers`,
`corpus.quote_candidates`) read: honorifics and abbreviations, titles, role and organisation
nouns, determiners and pronouns, the auxiliaries and adverbs between a subject and its cue,
calendar words, sentence openers, prepositions, gendered role words, say verbs and the name
particles ("von", "de", "bin"). The lists built from data files (verb forms, reporting verbs,
first names with their genders) are loaded by `corpus.quote_lexicon`.
"""

from __future__ import annotations


def _words(text: str) -> list[str]:
    """The whitespace-separated words of a word-list literal."""
    return text.split()


# Honorifics, by the gender they give the name after them.
HONORIFICS_MALE = frozenset({"mr", "sir", "lord", "mister"})
HONORIFICS_FEMALE = frozenset({"ms", "mrs", "miss", "dame", "lady", "madam"})
HONORIFICS_OTHER = frozenset({"dr", "prof", "professor", "rev", "sen", "rep", "gov", "gen"})
HONORIFICS = HONORIFICS_MALE | HONORIFICS_FEMALE | HONORIFICS_OTHER
# Words a full stop follows without ending the sentence ("Mr.", "Corp.", "Calif.").
ABBREVIATIONS = HONORIFICS | frozenset(
    _words(
        """st jr sr lt col capt sgt vs etc inc corp co ltd no mt ft jan feb mar apr jun jul aug sep
    sept oct nov dec ariz calif fla ga ill mass mich minn nev pa tenn tex va wash wis"""
    )
)
# Words of a person's title ("Prime Minister", "Foreign Secretary", "Cardinal").
TITLE_WORDS = frozenset(
    _words(
        """president prime minister pm chancellor secretary chief leader king queen senator
    governor mayor candidate nominee premier chairman chairwoman chair director commissioner
    ambassador envoy general spokesman spokeswoman spokesperson speaker vice deputy foreign
    home defence defense education health justice state first lady sen rep gov cardinal
    archbishop bishop producer coach manager treasurer professor economist analyst lecturer
    superintendent inspector"""
    )
)
# Nouns that head a speaker phrase with no name ("officials said", "the report says").
ROLE_NOUNS = frozenset(
    _words(
        """spokesman spokeswoman spokesperson spokesmen spokespeople official officials minister
    ministers secretary president leader leaders source sources aide aides statement readout
    report reports adviser advisers advisor advisors chief pair sides campaign government
    administration ministry department office spokesperson's candidate nominee senator
    governor mayor chancellor premier analyst analysts expert experts economist economists
    lawyer lawyers attorney directors prosecutor prosecutors police officer officers researchers
    scientists critics supporters voters residents witnesses protesters activists democrats
    republicans diplomat diplomats envoy ambassador group groups union unions company firm
    bank committee commission council party team agency court judge author authors memo
    letter email document survey poll study website post tweet newspaper paper chairman
    chairwoman director executive founder manager member members mother father wife husband
    son daughter sister brother friend woman man people producer producers coach manager
    managers boss owner captain player players singer actor actress presenter lecturer
    professor researcher researchers commissioner inspector superintendent bishop archbishop
    cardinal treasurer"""
    )
)
# Spokesperson nouns: "X spokesman" speaks as "X spokesperson".
SPOKES_NOUNS = frozenset({"spokesman", "spokeswoman", "spokesperson", "spokesmen", "spokespeople"})
# Determiners that open a noun phrase, possessive determiners, and subject pronouns.
DETERMINERS = frozenset(
    _words("""a an the his her their its our my your this that these those one two three some""")
)
POSSESSIVE_DETERMINERS = frozenset(["his", "her", "their", "its", "our", "my", "your"])
PRONOUNS = frozenset(["he", "she", "they", "we", "i", "it", "you"])
# Words that may sit between a subject and its cue: auxiliaries, negation, adverbs.
AUX_CHAIN = frozenset(
    _words(
        """has have had is was were are will would could can may might should must also later then
    previously reportedly repeatedly again recently further quickly once earlier first
    publicly privately simply just not never already even still expected to set due going
    has’ve ’d 've 'd last week separately subsequently initially originally often always
    frequently immediately finally eventually angrily bluntly flatly"""
    )
)
# Verbs that take "to" + the cue: "protesters continued to chant", "he went on to say".
CATENATIVES = frozenset(
    _words(
        """continued continues continue began begins begin started starts start tried tries
        wanted wants decided decides refused refuses went goes appeared appears seemed seems
        sought seeks used hoped hopes"""
    )
)
# Links of an auxiliary chain that belong in the cue ("is expected to warn").
CUE_CHAIN = frozenset({"is", "was", "are", "were", "expected", "to", "set", "due", "going"})
# Lowercase particles inside a name ("Ursula von der Leyen", "Osama bin Laden"), and
# the same as a regular-expression alternation.
NAME_PARTICLES = ("von", "van", "der", "de", "la", "le", "del", "da", "di", "bin", "al")
NAME_CONNECTORS = frozenset(NAME_PARTICLES)
NAME_PARTICLE_PATTERN = "(?:" + "|".join(NAME_PARTICLES) + ")"
# Day and month names and relative days: capitalised, yet no names (but "Theresa May").
CALENDAR = frozenset(
    _words(
        """monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december today yesterday tonight"""
    )
)
# Words often capitalised because they open a sentence, not because they are names.
SENTENCE_INITIAL = frozenset(
    _words(
        """the a an but and or so yet in on at as after before when while if though although
    because since meanwhile however speaking asked asking earlier later also then this that
    these those there here it its his her their our we they he she i you what who why how
    where one some many most all both each every no not now still just even last next"""
    )
)
# Function words that end a phrase: no object of "told", no modifier of a noun.
STOP_OBJECT = frozenset(
    _words(
        """that on in at during after before about of for with by from as when while if but and or
    to he she they it we i you him them us me his her their this what how why whether was is
    were are had has have would will"""
    )
)
# Names that stand for an organisation.
ORG_ALIASES = {"number 10": "Downing Street", "no 10": "Downing Street", "no. 10": "Downing Street"}
# Titles a person is introduced by and then referred to (a regular-expression alternation).
TITLE_ALTERNATION = (
    r"prime\s+minister|pm|president|chancellor|foreign\s+secretary|home\s+secretary|"
    r"defen[cs]e\s+secretary|education\s+secretary|health\s+secretary|secretary\s+of\s+state|"
    r"secretary|minister|senator|sen\.|governor|gov\.|mayor|leader|chief|premier|king|queen|"
    r"chairman|chairwoman|envoy|ambassador|commissioner|nominee|candidate|"
    # Roles a person is introduced by and then referred to ("Producer Kevin Wallace" ... "the
    # British producer"; "Cardinal Cormac Murphy-O'Connor" ... "the cardinal").
    r"cardinal|archbishop|bishop|producer|director|coach|manager|treasurer|"
    r"governor|professor|economist|analyst|lecturer|superintendent|inspector"
)
# Prepositions whose object is never the subject of a following verb ("with X saying",
# "after X said" and "as X said" introduce clauses, so they are not here).
OBLIQUE_PREPOSITIONS = frozenset(
    _words("in on at of by from into onto over under about for against between through to")
)
# Words that make a capitalised name an organisation or a place, not a person.
ORG_WORDS = frozenset(
    _words(
        """party ministry bank commission council committee association union office street
        department university institute times post news group company corporation inc ltd
        plc foundation agency court house senate congress parliament government club league
        federation society trust fund school college hospital police army navy service
        board authority church centre center network channel radio television tv press
        journal magazine review daily herald telegraph guardian mail express mirror
        democrats republicans labour conservatives tories campaign team organisation
        organization alliance coalition capital partners research"""
    )
)
# Lowercase nouns that head a noun phrase ("the spokesman", "an All England club").
NP_HEAD_NOUNS = ROLE_NOUNS | ORG_WORDS
# Lowercase words that end no noun phrase.
NOT_NOUN_HEADS = frozenset(
    _words("who whom which whose where there then now here also only too very so such")
)
# Adjectives of a spokesperson that name no owner ("a senior council spokesman").
ROLE_ADJECTIVES = frozenset(
    _words("""senior former chief deputy top official unnamed anonymous new acting press""")
)
# Dashes that lead an attribution after a quote ("― X"), and auxiliaries of a passive.
DASHES = frozenset({"―", "—", "–", "-"})
PASSIVE_AUXILIARIES = frozenset(_words("is was were are be been being"))
# Prepositions that also introduce a clause ("after X said"): X may be a subject.
CONJUNCTION_PREPOSITIONS = frozenset({"after", "before", "since", "until", "as"})
# Heads of a phrase naming two or more people ("the pair", "both men").
PLURAL_GROUP_HEADS = frozenset({"pair", "leaders", "two", "both", "duo", "men", "women", "sides"})
# Gendered role words that give the name after them a gender ("actress Negar Khan").
FEMALE_ROLES = frozenset(
    _words(
        """daughter mother wife sister actress chairwoman spokeswoman businesswoman
        congresswoman sportswoman queen princess duchess countess grandmother aunt niece
        girlfriend widow waitress heiress mum"""
    )
)
MALE_ROLES = frozenset(
    _words(
        """son father husband brother chairman spokesman businessman congressman sportsman
        king prince duke grandfather uncle nephew boyfriend widower dad"""
    )
)
# Say-type verbs whose inverted subject follows them ("says X", "added X"); not "told X".
SAY_VERBS = frozenset(
    _words(
        """said says say added adds explained explains continued continues insisted insists
        argued argues wrote writes noted notes admitted admits claimed claims declared
        stated commented comments remarked replied replies warned warns"""
    )
)
# Prepositions: a mention after one is no clause subject.
PREPOSITIONS = frozenset(
    _words(
        """from with to of by about for at on in against between into onto over under after before
    during without within among toward towards than like via including"""
    )
)
# Job words that may open a capitalised name run ("Actress Sandra Dee", "Coach Tom Lee").
JOB_WORDS = frozenset(
    _words(
        """actress actor singer editor frontman star boss coach manager striker captain player
        founder executive economist analyst lawyer author writer reporter presenter host judge
        professor doctor officer detective inspector bishop archbishop pope rabbi imam"""
    )
)
# Words dropped from the start of a name (titles, honorifics, jobs, calendar words), and
# the words before a name that make it the person the mention is a modifier of.
DROPPED_NAME_WORDS = TITLE_WORDS | HONORIFICS | CALENDAR | JOB_WORDS
TITLE_OR_ROLE = (TITLE_WORDS | ROLE_NOUNS | JOB_WORDS) - frozenset(
    _words("first state home people man woman members member")
)
# Nouns that, after "the", stand for an organisation named before ("said the firm").
ORGANISATION_NOUNS = frozenset(
    _words("company firm group club organisation organization bank agency airline carrier")
)
# Lowercase words that may stand before a title ahead of a name ("shadow chancellor Vince
# Cable", "former minister Jane Roe").
TITLE_MODIFIERS = frozenset(_words("shadow former acting interim junior senior assistant"))
# The words of a title written in capitals without a name ("Acting Detective Chief
# Superintendent", "Deputy Chief Constable").
RANK_WORDS = (
    TITLE_WORDS
    | JOB_WORDS
    | TITLE_MODIFIERS
    | frozenset(_words("detective constable sergeant commander officer assistant executive"))
)
# Words of a role phrase that are not its head ("the mayor of Leeds": "mayor" is the head).
ROLE_PHRASE_FUNCTION_WORDS = frozenset(_words("of the for and in at on to from with by"))
# The speaker candidates' features (`corpus.quote_candidates`): a pronoun mention's kind, the
# words before or after a mention that its context features name, and the title words that
# modify a title rather than head a role phrase ("prime" of "prime minister").
CANDIDATE_PRONOUNS = {
    "he": "pron_he",
    "she": "pron_she",
    "they": "pron_they",
    "we": "pron_we",
    "i": "pron_i",
    "it": "pron_it",
    "him": "pron_obj",
    "her": "pron_obj",
    "them": "pron_obj",
}
CONTEXT_PREPOSITIONS = frozenset(
    _words("of from by with to for at in on about against than like including between among")
)
CONTEXT_NEXT_WORDS = frozenset(
    _words("of who which , ( . ; : and or - — – ’s 's in at on for with from to")
)
CONTEXT_PREVIOUS_WORDS = frozenset(_words(", ( : ; and or the a an his her their its — – -"))
TITLE_WORD_MODIFIERS = frozenset(
    _words(
        "prime foreign home defence defense education health justice state first vice deputy "
        "general sen rep gov pm"
    )
)
