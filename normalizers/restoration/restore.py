"""Diacritic restoration of mangled Vietnamese text, leaving text that is right untouched.

    restore_text("Chi s6 cai cach hanh chinh cép tinh").text
    → "Chỉ số cải cách hành chính cấp tỉnh"

Lines are judged first (:mod:`vnplan.normalizers.restoration.damage`): a line with enough words is
judged on its own, a short one by the whole text. Runs of mangled lines are
decoded together, so a sentence broken across lines keeps its context: every
token gets candidate syllables from the noisy channel
(:mod:`vnplan.normalizers.restoration.candidates`), pruned by bigram scores, and Viterbi over the
syllable n-gram model (:mod:`vnplan.normalizers.restoration.language_model`; second order for trigrams)
picks the likeliest sequence. Case
comes from the input; numbers, codes, abbreviations and punctuation stay as
they are, except for the ones OCR broke (``HDND`` → ``HĐND``, ``o4`` → ``04``).
Each changed token is reported with its original and a confidence.

Text Tesseract read (``ocr=True``) that is not mangled goes through the same
decoder with each word allowed only another marking of its letters, at what the
OCR channel (:mod:`vnplan.normalizers.restoration.ocr_channel`, learned from pages printed and read)
says that misreading costs plus a margin: a tone, hat or horn misread in a
blurred scan (``KÉ HOẠCH``, ``YÊU CÂU``, ``PHÓỎ``) is put right where the model is far surer.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import cache, cached_property, lru_cache

import numpy as np

from vnplan.normalizers.doc_numbers import STROKE_FIXES
from vnplan.normalizers.restoration.abbreviations import abbreviations
from vnplan.normalizers.restoration.candidates import KEEP_COST, Candidate, Channel
from vnplan.normalizers.restoration.damage import MIN_WORDS, Counts, Damage, damage_of, measure_damage, word_counts
from vnplan.normalizers.restoration.language_model import LanguageModel, language_model
from vnplan.normalizers.restoration.lm_tokens import NUM, PUNCT, WORD, lm_token
from vnplan.normalizers.restoration.ocr_channel import OcrChannel, capitals_channel, ocr_channel, undoublings
from vnplan.normalizers.restoration.syllables import has_marks, is_syllable, is_written_syllable, split_tone
from vnplan.normalizers.text import nfc, normalize_tone_marks, strip_marks
from vnplan.normalizers.tokens import OCR_TOKENS

#: A word (letters, digits, and the symbols OCR writes for letters) or one punctuation mark.
#: A line with this many words is judged on its own; a shorter one takes the whole text's verdict.
LINE_MIN_WORDS = 5
#: A text with this share of its syllables in letters only Vietnamese writes (``ệ``, ``ư``, ``đ``) was
#: written with its marks: an English OCR model writes none of them, text that lost its marks has none.
MIN_VIETNAMESE_SHARE = 0.1
#: ... if at least this share of its syllables is marked (Vietnamese as written marks about three in four).
NAMES_MARKED_SHARE = 0.5
#: A line that ends in a file's extension names a file (an attachment list): it is kept as written.
FILE_NAME = re.compile(r"\.(?:docx?|xlsx?|pptx?|pdf|odt|ods|rtf|txt|zip|rar|jpe?g|png|tiff?)\s*$", re.IGNORECASE)
#: A file's or a web address's name: letters, a full stop and lower-case letters without a space
#: (``theo.docx``, ``quochoi.vn/pages/lanh-dao``); it is kept as written.
ADDRESS = re.compile(r"[^\s()\[\]\"“”]*[^\W\d_]\.([^\W\d_])[^\s()\[\]\"“”]*")
#: A letter (not a digit); spaces and a letter after a token.
LETTER = re.compile(r"[^\W\d_]")
WORD_AFTER = re.compile(r" +[^\W\d_]")
#: A word OCR glued to a number: ``ngay06``.
GLUED = re.compile(r"([^\W\d_]{2,})(\d{2,})")
#: A date word glued to its number by OCR: ``ngày23``, ``năm2026``.
DATE_WORD_GLUED = re.compile(r"((?i:ngày|tháng|năm))(\d{1,4})")
#: Where a date holds a number, by the words around it, and the largest it can be: the day, the month.
DATE_SLOTS = {("ngày", "tháng"): 31, ("tháng", "năm"): 12}
#: A number with letter O for zero: ``o4``, ``2O21``.
O_FOR_ZERO = re.compile(r"[\doO]*\d[\doO]*")
MAX_WORD = 9
#: Mangled text with this share of marked or invalid words is OCR damage, not just lost marks.
OCR_MARKED_SHARE = 0.02
OCR_INVALID_SHARE = 0.05
#: Mangled lines with more than this share of words with a mark (syllables or not), all taken together,
#: were read by an OCR model that writes marks of its own (``cép``, ``Quyét``: about 3% of the words of
#: 001-like damage, 18% of 001's): their words may be misreadings (``binh`` for ``định``, see
#: :meth:`Channel.candidates`). Text that lost its marks has none.
MISREAD_MARKED_SHARE = 0.005
#: What reading a tone mark other than the one Tesseract saw costs (log10) at most: the model must find
#: the other 100,000 times likelier. Measured on the scanned samples, a lower cost fixes a few
#: more slips but changes right words in clean text too.
TONE_SLIP_COST = 5.0
#: Added to the OCR channel's cost of a misreading (:mod:`vnplan.normalizers.restoration.ocr_channel`): a word Tesseract
#: read is changed only where the model is far surer than the channel alone would make it. The smallest of
#: 2.5, 2.75 and 3.0 that keeps clean text read as OCR 99.97% unchanged (`benchmarks/restore_bench.py`).
OCR_MARGIN = 2.75
#: ... less this for a word that is no syllable as printed (``quyét``, ``PHÓỎ``, ``quôc`` with a stop coda under the
#: level tone): it cannot be right as it is.
NON_SYLLABLE_DISCOUNT = 2.0
#: Taken off what every misreading of a word Tesseract was unsure of costs (see
#: :data:`vnplan.pipeline.repair.DOUBTFUL_CONFIDENCE`): on the tuning half of the real pages
#: (``benchmarks/ocr_pages.py``) such words had wrong marks about 40 times as often as the rest (10.6%, 0.3%),
#: and taking off the whole margin removed the most errors of 0, 1.0, 1.5, 2.0, 2.5 and 2.75 (3.0: as many).
DOUBT_DISCOUNT = OCR_MARGIN
#: Misreadings dearer than this are not considered, and at most this many per word.
MAX_OCR_COST = 7.0
MAX_OCR_OPTIONS = 6
#: Added to keeping as written a word in lower case of three letters or more without a vowel (``chdm``, for
#: ``chấm``): no language writes one, so it was misread; but the model scores every word it does not know as
#: one class, likelier than many a syllable.
NO_VOWEL_COST = 3.0
#: Added to reading as a word a number of one or two digits that stands between two words, in text an
#: English OCR model read (``tỷ 18 hồ sơ``, for ``tỷ lệ``): digits it writes for letters.
NUMBER_AS_WORD_COST = 1.0
#: Options per token kept for the trigram lattice, best by bigram score first ...
KEEP_OPTIONS = 2
#: ... and any option within this much (log10) of a token's best.
PRUNE_BEAM = 2.5
#: Chunks are scored together up to about this many tokens (fewer calls, bounded memory).
DECODE_BATCH = 4096


@dataclass(frozen=True)
class Change:
    """One token the restorer changed: where it now starts in the restored text, what it was, how sure."""

    start: int
    original: str
    restored: str
    confidence: float


@dataclass
class Restoration:
    """Restored text, the changes made, and how many lines were judged mangled."""

    text: str
    changes: list[Change] = field(default_factory=list)
    mangled_lines: int = 0

    def line_changes(self) -> list[list[dict]]:
        """The changes of each line of :attr:`text`, as JSON-ready dicts with ``start`` within the line."""
        lines = self.text.split("\n")
        out: list[list[dict]] = [[] for _ in lines]
        starts = [0]
        for line in lines:
            starts.append(starts[-1] + len(line) + 1)
        k = 0
        for change in self.changes:
            while change.start >= starts[k + 1]:
                k += 1
            out[k].append({**asdict(change), "start": change.start - starts[k]})
        return out


@dataclass(slots=True)
class _Token:
    start: int
    end: int
    text: str
    options: tuple[Candidate, ...] = ()  # empty: a fixed token
    ids: tuple[int, ...] = ()  # the options' model ids (a fixed token: its class)
    costs: tuple[float, ...] = (0.0,)  # the options' channel costs
    lm_token: str = WORD
    tail: str = ""  # a number glued to the word, written after it with a space
    fixed_text: str | None = None  # a fixed token's repaired form


class Restorer:
    """Restores text; the language model and channel are loaded when first needed."""

    def __init__(
        self,
        model: LanguageModel | None = None,
        ocr: OcrChannel | None = None,
        ocr_margin: float = OCR_MARGIN,
        doubt_discount: float = DOUBT_DISCOUNT,
    ) -> None:
        """``ocr``: the OCR channel for every word (default: the packaged one, and for words in capitals
        the packaged capitals channel); ``ocr_margin``: see :data:`OCR_MARGIN` (``math.inf``: only
        another tone, at :data:`TONE_SLIP_COST`, as before the OCR channel); ``doubt_discount``: see
        :data:`DOUBT_DISCOUNT`."""
        self._model = model
        self._ocr_channel = ocr
        self.ocr_margin = ocr_margin
        self.doubt_discount = doubt_discount
        self._readings = lru_cache(maxsize=200_000)(self._readings_of)
        self._ocr_readings = lru_cache(maxsize=200_000)(self._ocr_readings_of)
        self._token_fields = lru_cache(maxsize=200_000)(self._token_fields_of)

    @cached_property
    def model(self) -> LanguageModel:
        return self._model or language_model()

    @cached_property
    def channel(self) -> Channel:
        return Channel(self.model)

    @cached_property
    def ocr_channel(self) -> OcrChannel:
        return self._ocr_channel or ocr_channel()

    @cached_property
    def capitals_channel(self) -> OcrChannel:
        return self._ocr_channel or capitals_channel()

    def load(self) -> Restorer:
        """Load the model and the channel now rather than on first use (to time them apart, or warm up)."""
        self.model, self.channel, self.ocr_channel, self.capitals_channel  # noqa: B018 (cached properties: reading them loads them)
        return self

    def restore(
        self, text: str, force: bool = False, ocr: bool = False, doubtful: Sequence[tuple[int, int]] = ()
    ) -> Restoration:
        """Restore the mangled lines of ``text`` (with ``force`` every line but one naming a file). Other
        lines come back unchanged, except that in text Tesseract read (``ocr``) a tone mark it misread is put right
        where the language model is sure of it (``chỉ thường xuyên`` → ``chi thường xuyên``); ``doubtful``:
        the (start, end) spans of ``text``, in order, of words Tesseract was unsure of, put right at
        :data:`DOUBT_DISCOUNT` less."""
        lines = text.split("\n")
        flags = mangled_lines(lines, force)
        if not any(flags) and not ocr:
            return Restoration(text)
        chunks: list[str] = []
        counts: dict[int, Counts] = {}  # each mangled chunk's damage counts
        i = 0
        while i < len(lines):
            j = i + 1
            while j < len(lines) and flags[j] == flags[i] and lines[j].strip():
                j += 1
            if flags[i]:
                counts[len(chunks)] = word_counts("\n".join(lines[i:j]))
            chunks.append("\n".join(lines[i:j]) + ("\n" if j < len(lines) else ""))
            i = j
        # The mangled lines together: their counts add up.
        mangled = damage_of(*counts.values())
        misread_marks = mangled.any_marked_share > MISREAD_MARKED_SHARE
        jobs: list[tuple[int, list[_Token]]] = []  # (chunk, its tokens) for each chunk to decode
        doubtful_starts = [a for a, _ in doubtful]
        source = 0
        for k, chunk in enumerate(chunks):
            if k in counts:
                jobs.append((k, self._chunk_tokens(chunk, misread_marks, damage_of(counts[k]))))
            elif ocr:
                first = bisect.bisect_left(doubtful_starts, source)
                last = bisect.bisect_left(doubtful_starts, source + len(chunk))
                spans = [(a - source, b - source) for a, b in doubtful[first:last]]
                jobs.append((k, self._ocr_tokens(chunk, spans)))
            source += len(chunk)
        decoded = dict(zip((k for k, _ in jobs), self._decode_all([tokens for _, tokens in jobs]), strict=True))
        changes: list[Change] = []
        offset = 0
        jobs_at = dict(jobs)
        for k, chunk in enumerate(chunks):
            if k in jobs_at:
                chunks[k] = _rewrite(chunk, jobs_at[k], *decoded[k], offset, changes)
            offset += len(chunks[k])
        return Restoration("".join(chunks), changes, sum(flags))

    def _chunk_tokens(self, chunk: str, misread_marks: bool, damage: Damage) -> list[_Token]:
        """The chunk's tokens, to be read through the channel; ``misread_marks``: the mangled lines were read by
        an OCR model that writes marks of its own (see :data:`MISREAD_MARKED_SHARE`); ``damage``: the chunk's."""
        ocr_damage = damage.marked_share > OCR_MARKED_SHARE or damage.invalid_share > OCR_INVALID_SHARE
        kept = _Abbreviations(chunk)
        addresses = [m.span() for m in ADDRESS.finditer(chunk) if m.group(1).islower()]
        lost = abbreviations().lost_marks(chunk)
        tokens = []
        for m in OCR_TOKENS.finditer(chunk):
            start = m.start()
            if kept.covers(start) or _is_label(m) or (addresses and any(a <= start < b for a, b in addresses)):
                tokens.append(_kept(m))
                continue
            listed = next(((a, form) for a, form in lost if a <= start < a + len(form)), None) if lost else None
            if listed:  # an abbreviation that lost its marks: d/c → đ/c, HDTV → HĐTV
                a, form = listed
                token = _kept(m)
                token.fixed_text = form[m.start() - a : m.end() - a]
                tokens.append(token)
                continue
            tokens.append(self._token(m, ocr_damage, misread_marks))
        return tokens

    def _ocr_tokens(self, chunk: str, doubtful: Sequence[tuple[int, int]] = ()) -> list[_Token]:
        """The tokens of text Tesseract read well but for a mark here and there: each word may only be read as
        another marking of its letters (without a doubled vowel), at what the OCR channel says such
        a misreading costs plus :data:`OCR_MARGIN` (another tone: at most :data:`TONE_SLIP_COST`);
        a letter no Vietnamese text holds that Tesseract writes for a Vietnamese one becomes that
        letter (``Ð`` → ``Đ``); in a number, what it writes for a digit becomes that digit
        (:meth:`_ocr_number`); everything else stays as it is. A word in a ``doubtful`` span (Tesseract
        was unsure of it) is put right at :data:`DOUBT_DISCOUNT` less."""
        tokens = []
        kept = _Abbreviations(chunk)
        starts = [a for a, _ in doubtful]
        matches = list(OCR_TOKENS.finditer(chunk))
        for k, match in enumerate(matches):
            token = _Token(match.start(), match.end(), match.group())
            read = "".join(self.ocr_channel.letter_for(c) or c for c in token.text)  # Ðồng → Đồng
            number = self._ocr_number(read, matches, k)
            if number is not None:
                token.lm_token, token.fixed_text = NUM, number
            elif read.isalpha() and not kept.covers(token.start) and read not in abbreviations().capitals:
                capitals = len(read) > 1 and read.isupper()
                k = bisect.bisect_right(starts, token.start) - 1
                doubt = k >= 0 and token.start < doubtful[k][1]
                token.options, token.ids, token.costs = self._ocr_readings(read.lower(), capitals, doubt)
            if not token.options and token.fixed_text is None:
                token.lm_token = lm_token(read)
                token.fixed_text = read
            if token.lm_token == PUNCT and _glued_to_digit(chunk, token.start, token.end):
                token.fixed_text = self.ocr_channel.digit_for(token.text)
            tokens.append(token)
        return tokens

    def _ocr_number(self, read: str, matches: list[re.Match[str]], k: int) -> str | None:
        """What the ``k``-th token of OCR text, ``read``, is as a number, where it must be one and Tesseract
        wrote letters the OCR channel learned it writes for digits (:meth:`OcrChannel.digit_for`): a day or
        a month in a date (``tháng ii năm`` → ``tháng 11 năm``); or a date word glued to its number, apart
        (``ngày23`` → ``ngày 23``). None for any other token (``1080i60`` stays)."""
        glued = DATE_WORD_GLUED.fullmatch(read)
        if glued:
            return f"{glued.group(1)} {glued.group(2)}"
        digits = "".join(c if c.isdigit() else self.ocr_channel.digit_for(c) or "?" for c in read)
        if "?" in digits or digits == read:
            return None
        before, after = (_word_at(matches, k + step) for step in (-1, 1))
        bounds = DATE_SLOTS.get((before, after))
        return digits if bounds and 1 <= int(digits) <= bounds else None

    def _ocr_readings_of(
        self, word: str, capitals: bool = False, doubtful: bool = False
    ) -> tuple[tuple[Candidate, ...], tuple[int, ...], tuple]:
        """The word as read (a syllable, or the class of other words) and the syllables Tesseract may
        have misread as it (printed in ``capitals``, or not; ``doubtful``: Tesseract was unsure of it, each
        costs :attr:`doubt_discount` less); nothing when there is no such syllable."""
        channel, ocr = self.channel, self.capitals_channel if capitals else self.ocr_channel
        base, _ = split_tone(word)
        printable = is_written_syllable(word)
        margin = self.ocr_margin if printable else max(0.0, self.ocr_margin - NON_SYLLABLE_DISCOUNT)
        misread: dict[str, float] = {}
        for spelling in (word, *undoublings(word)):
            for other in channel.by_key.get(strip_marks(spelling), ()):
                if other != word:
                    misread[other] = min(ocr.cost(other, word), misread.get(other, math.inf))
        # A word with Vietnamese marks that no one prints was misread for sure: what its readings cost is
        # how much less likely each is than the likeliest.
        shift = min(misread.values()) if misread and not printable and has_marks(word) else 0.0
        found: dict[str, float] = {}
        for other, cost in misread.items():
            cost += margin - shift
            if split_tone(other)[0] == base:
                cost = min(cost, TONE_SLIP_COST)
            if doubtful:
                cost = max(0.0, cost - self.doubt_discount)
            if cost <= MAX_OCR_COST:
                found[other] = cost
        if not found:
            return (), (), (0.0,)
        ranked = sorted(found, key=lambda w: found[w] - self.model.unigram(w))[:MAX_OCR_OPTIONS]
        options = (Candidate(word, 0.0), *(Candidate(w, found[w]) for w in ranked))
        ids = tuple(self.model.id(o.syllable) for o in options)
        if not is_syllable(word) or ids[0] == self.model.unk:
            ids = (self.model.id(WORD), *ids[1:])
        return options, ids, tuple(o.cost for o in options)

    def _token(self, match: re.Match[str], ocr_damage: bool, misread_marks: bool = False) -> _Token:
        """The token of ``match`` in a mangled chunk: fixed (punctuation, a number, a code, an
        abbreviation) or with its readings. All but its place is worked out once per spelling and context."""
        text = match.group()
        between = misread_marks and ocr_damage and len(text) <= 2 and text.isdigit() and _between_words(match)
        fields = self._token_fields(text, ocr_damage, misread_marks, between, _in_code(match))
        return _Token(match.start(), match.end(), text, *fields)

    def _token_fields_of(
        self, text: str, ocr_damage: bool, misread_marks: bool, between_words: bool, in_code: bool
    ) -> tuple[tuple[Candidate, ...], tuple[int, ...], tuple[float, ...], str, str, str | None]:
        """A token's fields after its text (see :class:`_Token`): options, ids, costs, model token, tail
        and fixed text; ``between_words``: a short number between two words of an English OCR model's text
        (:meth:`_number_or_word`); ``in_code``: capitals in a document code."""
        if not text[0].isalnum() and text not in "&€¢@":
            return (), (), (0.0,), PUNCT, "", None
        if between_words:
            return (*self._number_or_word(text), WORD, "", None)
        if O_FOR_ZERO.fullmatch(text):
            return (), (), (0.0,), NUM, "", text.replace("o", "0").replace("O", "0")
        glued = GLUED.fullmatch(text)
        word = glued.group(1) if glued else text
        tail = " " + glued.group(2) if glued else ""
        abbreviation = word.isalpha() and word.isupper() and len(word) > 1 and not self.channel.is_known_key(word)
        abbreviation = abbreviation or word in abbreviations().capitals or in_code
        if len(word) > MAX_WORD or abbreviation:
            return (), (), (0.0,), WORD, tail, STROKE_FIXES.get(word)
        return (*self._readings(word, ocr_damage, misread_marks), WORD, tail, None)

    def _number_or_word(self, text: str) -> tuple[tuple[Candidate, ...], tuple[int, ...], tuple[float, ...]]:
        """A short number between two words of text an English OCR model read: the number, or a word the
        OCR may have read as it (``tỷ 18 hồ sơ`` for ``tỷ lệ``, ``cấp 6 thẩm quyền`` for ``có``) at
        :data:`NUMBER_AS_WORD_COST` more than the channel's cost. Its options, ids and costs."""
        words = self.channel.candidates(text, True, True)
        options = (
            Candidate(text, 0.0),
            *(Candidate(c.syllable, c.cost + NUMBER_AS_WORD_COST) for c in words),
        )
        ids = (self.model.id(NUM), *(self.model.id(c.syllable) for c in words))
        return options, ids, tuple(o.cost for o in options)

    def _readings_of(
        self, word: str, ocr_damage: bool, misread_marks: bool = False
    ) -> tuple[tuple[Candidate, ...], tuple[int, ...], tuple]:
        """The word's options (the channel's candidates; the word itself too when it is no syllable),
        their model ids and their costs."""
        options = self.channel.candidates(word, ocr_damage, misread_marks)
        if not is_syllable(word):
            options = (*options, Candidate(word.lower(), KEEP_COST + (NO_VOWEL_COST if _no_vowel(word) else 0.0)))
        if not options:
            return (), (self.model.id(WORD),), (0.0,)
        # A kept non-syllable is scored as the class of other words, not as an unknown syllable.
        ids = tuple(
            self.model.id(WORD)
            if self.model.id(o.syllable) == self.model.unk and not is_syllable(o.syllable)
            else self.model.id(o.syllable)
            for o in options
        )
        return options, ids, tuple(o.cost for o in options)

    def _options(self, tokens: list[_Token]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every position's options laid end to end, a ``<s>`` for each word of the model's context
        before the tokens and ``</s>`` after them: model ids, channel costs, and how many options
        each position has."""
        model = self.model
        pad = model.order - 1
        ids = [*[(model.bos,)] * pad, *(t.ids or (model.id(t.lm_token),) for t in tokens), (model.eos,)]
        costs = [*[(0.0,)] * pad, *(t.costs for t in tokens), (0.0,)]
        flat = np.fromiter(itertools.chain.from_iterable(ids), dtype=np.int64)
        return (
            flat,
            np.fromiter(itertools.chain.from_iterable(costs), dtype=np.float64),
            np.asarray(list(map(len, ids))),
        )

    def _prune(
        self, ids: np.ndarray, costs: np.ndarray, sizes: np.ndarray, starts: np.ndarray | None = None
    ) -> np.ndarray:
        """Which options are worth a trigram lattice: per position, the :data:`KEEP_OPTIONS` best by
        the bigram score with the best neighbour on either side (and every option within
        :data:`PRUNE_BEAM` of the best). A mask over the options. ``starts``: the first position of
        each sequence laid end to end (default: one sequence); nothing is scored across two."""
        first = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        t, j, k = _grid(sizes[:-1], sizes[1:])
        before, after = first[t] + j, first[t + 1] + k
        lower, _, _ = self.model.bigrams(ids[before], ids[after])
        step = lower - costs[after]
        left, right = np.full(len(ids), -np.inf), np.full(len(ids), -np.inf)
        np.maximum.at(left, after, step)
        np.maximum.at(right, before, step)
        starts = np.zeros(1, dtype=np.int64) if starts is None else starts
        left[first[starts]] = 0.0  # each sequence's <s> and </s> (one option each) have no neighbour outside it
        right[first[np.append(starts[1:] - 1, len(sizes) - 1)]] = 0.0
        local = left + right
        position = np.repeat(np.arange(len(sizes)), sizes)
        order = np.lexsort((-local, position))
        rank = np.empty(len(ids), dtype=np.int64)
        rank[order] = np.arange(len(ids)) - first[position[order]]
        best = np.maximum.reduceat(local, first)
        return (rank < KEEP_OPTIONS) | (local >= best[position] - PRUNE_BEAM)

    def _lattice(self, ids: np.ndarray, costs: np.ndarray, sizes: np.ndarray) -> list[np.ndarray]:
        """For every position p from the model's order - 1 (up to ``</s>``): the array of scores
        ``[..., j, k]`` of option k after the options of the order - 1 positions before it (``[i, j, k]``
        for trigrams, ``[h, i, j, k]`` for 4-grams), less k's channel cost."""
        model = self.model
        first = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        # Every pair (j, k) of neighbouring positions, in one batch: P(k | j) and (j, k) as a context.
        pair_sizes = sizes[:-1] * sizes[1:]
        pair_at = np.concatenate([[0], np.cumsum(pair_sizes)])
        t, j, k = _grid(sizes[:-1], sizes[1:])
        prev, this = ids[first[t] + j], ids[first[t + 1] + k]
        lower, weight, seen = model.bigrams(prev, this)
        opens = model.opens_trigrams(prev, this, seen)
        # Every (i, j, k) of every position t >= 2: i over t-2, j over t-1, k over t; the context
        # (i, j) is pair t-2, the continuation (j, k) pair t-1.
        t, ij, k = _grid(pair_sizes[:-1], sizes[2:])
        context, step = pair_at[t] + ij, pair_at[t + 1] + (ij % sizes[t + 1]) * sizes[t + 2] + k
        i, j = ij // sizes[t + 1], ij % sizes[t + 1]
        a, b, c = ids[first[t] + i], ids[first[t + 1] + j], ids[first[t + 2] + k]
        scores, weight, seen = model.trigrams(a, b, c, weight[context] + lower[step], opens[context])
        if model.order == 4:
            # Every (h, i, j, k) of every position t >= 3: the context (h, i, j) is triple t-3, the
            # continuation (i, j, k) triple t-2.
            triple_sizes = pair_sizes[:-1] * sizes[2:]
            triple_at = np.concatenate([[0], np.cumsum(triple_sizes)])
            t, hij, k = _grid(triple_sizes[:-1], sizes[3:])
            ij = hij % pair_sizes[t + 1]
            context, step = triple_at[t] + hij, triple_at[t + 1] + ij * sizes[t + 3] + k
            h, i, j = hij // pair_sizes[t + 1], ij // sizes[t + 2], ij % sizes[t + 2]
            a, b, c, d = ids[first[t] + h], ids[first[t + 1] + i], ids[first[t + 2] + j], ids[first[t + 3] + k]
            scores = model.fourgrams(a, b, c, d, weight[context] + scores[step], seen[context])
        order = model.order
        shapes = np.stack([sizes[m : len(sizes) - order + 1 + m] for m in range(order)], axis=1)
        scores = scores - costs[first[order - 1 :].repeat(shapes.prod(axis=1)) + _last_index(shapes)]
        ends = np.cumsum(shapes.prod(axis=1)).tolist()
        return [
            scores[start:end].reshape(shape)
            for start, end, shape in zip([0, *ends[:-1]], ends, shapes.tolist(), strict=True)
        ]

    @staticmethod
    def _viterbi(lattice: list[np.ndarray]) -> list[int]:
        """The best option per lattice position (the last, ``</s>``, included) by Viterbi over the
        states of the model's context (the options of the last order - 1 positions)."""
        context = lattice[0].ndim - 1
        best = np.zeros((1,) * context)
        pointers = []
        zeros: dict[tuple[int, ...], np.ndarray] = {}
        for scores in lattice:
            if scores.shape[0] == 1:  # one state to come from (the earliest position had one option)
                shape = scores.shape[1:]
                pointers.append(zeros.get(shape) if shape in zeros else zeros.setdefault(shape, np.zeros(shape, int)))
                best = best[0][..., None] + scores[0]
                continue
            total = best[..., None] + scores
            pointers.append(total.argmax(axis=0))
            best = total.max(axis=0)
        state = [int(x) for x in np.unravel_index(int(best.argmax()), best.shape)]
        choice = state[::-1]  # the last positions' options, last first
        for pointer in reversed(pointers[context:]):
            earlier = int(pointer[tuple(state)])
            state = [earlier, *state[:-1]]
            choice.append(earlier)
        return choice[::-1][-len(lattice) :]

    def _decode_all(self, sequences: list[list[_Token]]) -> list[tuple[list[int], list[float]]]:
        """For each token sequence (a chunk's): the chosen option per token and its confidence (see
        :meth:`_decode`). Sequences where no token has a choice are not decoded; the others are
        decoded in batches of about :data:`DECODE_BATCH` positions."""
        out: list[tuple[list[int], list[float]]] = [([0] * len(t), [1.0] * len(t)) for t in sequences]
        batch: list[int] = []
        positions = 0
        for n, tokens in enumerate(sequences):
            if any(len(t.ids) > 1 for t in tokens):
                batch.append(n)
                positions += len(tokens)
            if batch and (positions >= DECODE_BATCH or n == len(sequences) - 1):
                for m, decoded in zip(batch, self._decode([sequences[m] for m in batch]), strict=True):
                    out[m] = decoded
                batch, positions = [], 0
        return out

    def _decode(self, sequences: list[list[_Token]]) -> list[tuple[list[int], list[float]]]:
        """For each token sequence: the chosen option per token and the chosen option's confidence, its
        share of probability among the token's options with its neighbours as chosen. The sequences are
        pruned and scored together, each between its own ``<s>`` and ``</s>``, and decoded apart."""
        parts = [self._options(tokens) for tokens in sequences]
        ids, costs = np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
        sizes = np.concatenate([p[2] for p in parts])
        lengths = np.asarray([len(p[2]) for p in parts])
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])  # each sequence's first position
        kept = self._prune(ids, costs, sizes, starts)
        position = np.repeat(np.arange(len(sizes)), sizes)
        index = np.arange(len(ids)) - np.concatenate([[0], np.cumsum(sizes)[:-1]])[position]
        kept_sizes = np.bincount(position[kept], minlength=len(sizes))
        kept_first = np.concatenate([[0], np.cumsum(kept_sizes)[:-1]])
        kept_index = index[kept]  # a kept option's place among all the position's options
        lattice = self._lattice(ids[kept], costs[kept], kept_sizes)
        pad = self.model.order - 1
        own: list[np.ndarray] = []  # the blocks of each sequence's own positions
        paths: list[int] = []
        for start, length in zip(starts.tolist(), lengths.tolist(), strict=True):
            own += lattice[start : start + length - pad]
            paths += [0] * pad + self._viterbi(lattice[start : start + length - pad])  # the <s> in front, </s> last
        path = np.asarray(paths)
        confidence = _confidences(own, path, kept_sizes, starts).tolist()
        chosen = kept_index[kept_first + path].tolist()
        return [
            (chosen[start + pad : start + length - 1], confidence[start + pad : start + length - 1])
            for start, length in zip(starts.tolist(), lengths.tolist(), strict=True)
        ]


def _rewrite(
    chunk: str, tokens: list[_Token], choice: list[int], confidence: list[float], offset: int, changes: list[Change]
) -> str:
    """The chunk with each token's chosen reading; the changes made are added to ``changes``, their starts
    ``offset`` on (where the chunk starts in the restored text)."""
    out: list[str] = []
    last = 0
    length = offset
    for token, chosen, sure in zip(tokens, choice, confidence, strict=True):
        gap = chunk[last : token.start]
        out.append(gap)
        length += len(gap)
        if token.options:
            word = _with_case(token.options[chosen].syllable, token.text) + token.tail
        else:
            word = token.fixed_text if token.fixed_text is not None else token.text
        if word != token.text:
            changes.append(Change(length, token.text, word, sure))
        out.append(word)
        length += len(word)
        last = token.end
    out.append(chunk[last:])
    return "".join(out)


class _Abbreviations:
    """Where a chunk's abbreviations are (:mod:`~vnplan.normalizers.restoration.abbreviations`): their tokens
    stay as written."""

    def __init__(self, chunk: str) -> None:
        spans = abbreviations().spans(chunk)
        self.starts = [a for a, _ in spans]
        self.ends = [b for _, b in spans]

    def covers(self, position: int) -> bool:
        """True when ``position`` lies inside an abbreviation."""
        if not self.starts:
            return False
        k = bisect.bisect_right(self.starts, position) - 1
        return k >= 0 and position < self.ends[k]


def _is_label(match: re.Match[str]) -> bool:
    """True when the token is one letter and a bracket, an item's label (``b)``: not ``bộ)``)."""
    return len(match.group()) == 1 and match.group().isalpha() and match.string[match.end() : match.end() + 1] == ")"


def _in_code(match: re.Match[str]) -> bool:
    """True when the token, in capitals, is a part of a document code (``TU`` of ``01-NQ/TU``)."""
    text = match.group()
    if not (len(text) > 1 and text.isupper()):
        return False
    chunk, start, end = match.string, match.start(), match.end()
    before = chunk[start - 1 : start] in ("/", "-") and start >= 2 and chunk[start - 2].isalnum()
    after = chunk[end : end + 1] in ("/", "-") and end + 1 < len(chunk) and chunk[end + 1].isalnum()
    return before or after


def _between_words(match: re.Match[str]) -> bool:
    """True when the token stands between two words, a space on either side (``tỷ 18 hồ``)."""
    text, start = match.string, match.start()
    before = text[max(0, start - 1000) : start]
    before = before[:-1] if before.endswith("\n") else before  # as `` +$`` matches before a last newline
    letter = before.rstrip(" ")
    return (
        len(letter) < len(before) and bool(LETTER.fullmatch(letter[-1:])) and bool(WORD_AFTER.match(text, match.end()))
    )


def _no_vowel(word: str) -> bool:
    """True for a word in lower case of three letters or more with no vowel in it (``chdm``)."""
    return len(word) >= 3 and word.isalpha() and word.islower() and not any(c in "aeiouy" for c in strip_marks(word))


def _word_at(matches: list[re.Match[str]], k: int) -> str:
    """The ``k``-th token in lower case; empty outside the list."""
    return matches[k].group().lower() if 0 <= k < len(matches) else ""


def _glued_to_digit(chunk: str, start: int, end: int) -> bool:
    """True when the text at ``start:end`` touches a digit on either side."""
    return (start > 0 and chunk[start - 1].isdigit()) or (end < len(chunk) and chunk[end].isdigit())


def _kept(match: re.Match[str]) -> _Token:
    """A token left as written, scored as the model saw it in training."""
    return _Token(match.start(), match.end(), match.group(), lm_token=lm_token(match.group()))


def _confidences(
    lattice: list[np.ndarray], path: np.ndarray, sizes: np.ndarray, starts: np.ndarray | None = None
) -> np.ndarray:
    """For every position of a decoded lattice: the chosen option's share of probability among the
    position's options, every other position as chosen (the scores that involve the position summed);
    1.0 where there was one option. ``starts``: where each of several sequences laid end to end begins
    (default: one), their blocks laid end to end in ``lattice`` (the order - 1 first positions of each have none)."""
    pad = lattice[0].ndim - 1
    starts = np.zeros(1, dtype=np.int64) if starts is None else starts
    lengths = np.diff(np.append(starts, len(sizes)))
    flat = np.concatenate([block.ravel() for block in lattice])
    shapes = np.asarray([block.shape for block in lattice])
    block_at = np.concatenate([[0], np.cumsum(shapes.prod(axis=1))[:-1]])
    # Each block's strides (in cells of its C-order ravel) along its axes, and the path's cell in it.
    inner = np.cumprod(shapes[:, :0:-1], axis=1)[:, ::-1]  # (s1 s2, s2) for a block of shape (s0, s1, s2)
    strides = np.concatenate([inner, np.ones((len(shapes), 1), dtype=inner.dtype)], axis=1)
    sequence = np.repeat(np.arange(len(starts)), lengths - pad)  # each block's sequence
    first_position = np.arange(len(lattice)) + pad * sequence  # each block's first position
    windows = path[first_position[:, None] + np.arange(pad + 1)]  # the path over the block's positions
    on_path = block_at + (windows * strides).sum(axis=1)
    position = np.repeat(np.arange(len(sizes)), sizes)
    option = np.arange(len(position)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    own = np.repeat(np.arange(len(starts)), lengths)[position]  # each option's sequence
    place = position - starts[own]  # its position within its sequence
    first_block = starts - pad * np.arange(len(starts))  # each sequence's first block
    local = np.zeros(len(position))
    for m in range(pad + 1):  # the block at position p + m holds p on its axis pad - m
        block = place + m - pad
        valid = (block >= 0) & (block < (lengths - pad)[own])
        at = (first_block[own] + block)[valid]
        local[valid] += flat[on_path[at] + (option[valid] - path[position[valid]]) * strides[at, pad - m]]
    best = np.maximum.reduceat(local, np.cumsum(sizes) - sizes)
    weights = 10 ** (local - best[position])
    total = np.add.reduceat(weights, np.cumsum(sizes) - sizes)
    chosen = weights[np.cumsum(sizes) - sizes + path] / total
    return np.where(sizes == 1, 1.0, np.round(chosen, 3))


def _last_index(shapes: np.ndarray) -> np.ndarray:
    """For blocks of the given shapes laid end to end (C order): each cell's index along the last axis."""
    counts = shapes.prod(axis=1)
    return (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)) % np.repeat(shapes[:, -1], counts)


def _grid(rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For blocks of ``rows[t] x cols[t]`` cells laid end to end: each cell's block, row and column."""
    counts = rows * cols
    block = np.repeat(np.arange(len(counts)), counts)
    q = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return block, q // cols[block], q % cols[block]


def mangled_lines(lines: list[str], force: bool = False) -> list[bool]:
    """Which lines need restoring: a line with enough words by its own measure, a shorter one by all lines'
    (with ``force``, every line); never one that names a file."""
    if force:
        return [not FILE_NAME.search(line) for line in lines]
    whole = _mangled(measure_damage("\n".join(lines)))
    return [_line_mangled(line, whole) for line in lines]


def _line_mangled(line: str, whole: bool) -> bool:
    if FILE_NAME.search(line):
        return False
    damage = measure_damage(line)
    if damage.words >= LINE_MIN_WORDS:
        return _mangled(damage, LINE_MIN_WORDS)
    return whole and damage.words > 0


def _mangled(damage: Damage, min_words: int = MIN_WORDS) -> bool:
    """Mangled by the damage measure, unless enough words carry letters only Vietnamese writes: then
    the words that are no syllable are names and foreign words, not damage. Names do not take the marks
    off the syllables: where too few are marked, the line is mangled whatever letters its marked ones
    carry (Tesseract ``vie`` reading a page an English model wrote: ``cai thiến va nang cao Chỉ so``)."""
    if not damage.mangled(min_words):
        return False
    return damage.marked_share < NAMES_MARKED_SHARE or damage.vietnamese_share < MIN_VIETNAMESE_SHARE


@lru_cache(maxsize=65536)
def _with_case(syllable: str, original: str) -> str:
    """``syllable`` in the case the original was written in (all capitals, capitalised, lower; lower for a
    capital I read for an l, ``Iy`` → ``lý``); the original itself where it was kept (``TTr``)."""
    if syllable == original.lower():
        return original
    if original[:1] == "I" and syllable[:1] == "l" and original[1:].islower():  # a capital I misread for l: Iy
        return syllable
    letters = [c for c in original if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    if len(letters) > 1 and upper * 2 > len(letters):
        return syllable.upper()
    if original[:1].isupper() or (letters and letters[0].isupper() and not original[:1].isalpha()):
        return syllable[:1].upper() + syllable[1:]
    return syllable


@cache
def restorer() -> Restorer:
    """The restorer with the packaged model, built once per process."""
    return Restorer()


def restore_text(text: str, force: bool = False, ocr: bool = False) -> Restoration:
    """Restore ``text`` (see the module docstring and :meth:`Restorer.restore`); NFC and traditional
    tone marks in, and out."""
    return restorer().restore(normalize_tone_marks(nfc(text)), force, ocr)
