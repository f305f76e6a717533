"""Reading the FAQ: by category, and searched in the reader's language the way people type —
without diacritics, in another grammatical form, in a few words (``faq_search``; the
assistant answers from it too)."""

import re
import unicodedata
from dataclasses import dataclass

from tandem.service.models import FaqCategory, FaqEntry

# Letters that Unicode does not decompose into a base letter and a mark.
FOLD = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "ъ": "ь"})
MIN_TERM = 2


def folded(text: str) -> str:
    """``text`` casefolded, without diacritics (ą → a, й → и, ё → е): what matching compares."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(FOLD))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _stem(term: str) -> str:
    """The part of a word its inflected forms share, roughly: all but the last two letters
    of a long word ("faktury", "fakturę", "faktur" → "faktu")."""
    return term if len(term) <= 4 else term[: max(4, len(term) - 2)]


# words that say nothing of what is asked (folded), left out of a search's terms
STOPWORD_TEXT = (
    "the is are my our a an of to do does did i you we me pls please in on for with and or it be have has "
    "can your there this that any yet what who how when where which "
    "jest sa czy jak moj moje moja moim nasz nasze sie na do w z i o co kto gdzie kiedy prosze mam mamy "
    "to ten ta dla po "
    "е са ли как къде кога кой кои какво моя ми ни на за с и да се от по "
    "как где когда кто что мои моя мое наш у в на с и по за ли есть нас мне я"
)
STOPWORDS = set(STOPWORD_TEXT.split())


FOLDED_STOPWORDS = {folded(word) for word in STOPWORDS}


def terms_of(text: str, *, search: bool = False) -> list[str]:
    words = re.findall(r"\w+", folded(text))
    if search:
        words = [word for word in words if word not in FOLDED_STOPWORDS]
    return [_stem(word) for word in words if len(word) >= MIN_TERM]


def _meets(term: str, words: set[str]) -> bool:
    """One word of the text begins with the term, or the term with it (a short form typed)."""
    return any(word.startswith(term) or (len(word) >= 4 and term.startswith(word)) for word in words)


@dataclass(slots=True)
class FaqHit:
    entry: FaqEntry
    score: float


def faq_published() -> list[FaqEntry]:
    return list(FaqEntry.objects.filter(is_published=True).select_related("category"))


def faq_by_category(entries: list[FaqEntry] | None = None) -> list[tuple[FaqCategory, list[FaqEntry]]]:
    """The published entries under their categories, in order (categories without any left out)."""
    entries = faq_published() if entries is None else entries
    grouped: dict[int, tuple[FaqCategory, list[FaqEntry]]] = {}
    for entry in entries:
        grouped.setdefault(entry.category_id, (entry.category, []))[1].append(entry)
    return sorted(grouped.values(), key=lambda pair: (pair[0].sort_order, pair[0].name))


def faq_search(
    query: str, language: str, *, limit: int = 10, entries: list[FaqEntry] | None = None
) -> list[FaqHit]:
    """Published entries matching ``query`` in ``language`` (falling back to the default
    text), best first: the share of the query's words found, a word in the question counting
    three times one in the answer."""
    wanted = list(dict.fromkeys(terms_of(query, search=True)))[:12]
    if not wanted:
        return []
    hits = []
    for entry in faq_published() if entries is None else entries:
        question = set(terms_of(entry.tr("question", language)))
        answer = set(terms_of(entry.tr("answer", language)))
        found = [term for term in wanted if _meets(term, question | answer)]
        if not found:
            continue
        in_question = sum(1 for term in found if _meets(term, question))
        score = len(found) / len(wanted) + 0.3 * in_question / len(wanted)
        hits.append(FaqHit(entry, round(score, 3)))
    hits.sort(key=lambda hit: (-hit.score, hit.entry.category.sort_order, hit.entry.sort_order))
    return hits[:limit]
