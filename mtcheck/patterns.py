"""Token patterns: the one piece of code behind the data rules in ``corpora/rules/``.

A pattern is a line of space-separated items matched against the tokens of one
sentence (``Document.tokens``: words, with their inner apostrophes and hyphens,
and single punctuation characters). The full syntax is documented in
``corpora/rules/README.md``; in short::

    the                 a word, any case ("the", "The", "THE")
    NATO  =president    a word with a capital, or after "=", matches that exact case
    its|their           one token, any of these
    @WEEKDAY            one token of a word class (data, or built in: see BUILTINS)
    @NAME  @NUM         runs: a capitalised name ("Joe Biden", "John F. Kennedy"), a number ("3,000.5")
    !@STOP  !and|or     one token that is NOT any of these
    x?  x{0,3}  x{2}    optional / bounded repetition (never unbounded)
    ( a b | c )         a group: sequences separated by a free-standing "|"
    name:x  name:( .. ) capture, for message and suggestion templates ("{name|cap}")
    [ ... ]             the flagged span (default: the whole match); items outside are context
    ^  $                sentence start (first token) / sentence end (only closing punctuation follows)
    \\(  \\?  \\|          a literal punctuation token that is also pattern syntax

Speed: every pattern must contain a required word or finite word list, its
*anchor*. :class:`Matcher` indexes patterns by their anchor words, looks each
anchor up once in a per-document word index and only tries the few start
positions an anchor occurrence allows, so the cost is one dictionary pass over
the tokens plus work proportional to the candidate hits.
"""
from __future__ import annotations

import re
from itertools import compress, count
from operator import itemgetter
from typing import Callable, Iterable, Iterator, Mapping, NamedTuple, Sequence

__all__ = [
    "PatternError",
    "WordClass",
    "ClassTable",
    "TokenView",
    "Pattern",
    "Matcher",
    "Match",
    "DeferredEntry",
    "compile_pattern",
    "render",
    "gerund",
]

NAME_RUN_MAX = 6
NUM_RUN_MAX = 9
# Words too frequent to make a good anchor (looked up last).
COMMON_WORDS = frozenset(
    "the a an of to in and or for on at by with from that this is was be it its his her their as not "
    "de la el le les los las en y et que un une del des du al se su o e di il lo i der die das und "
    "ein eine zu von mit".split()
) | frozenset(",.;:!?\"“”‘’'()-–—")
OPENERS = frozenset("\"“‘«([¿¡'—–-")
CLOSERS = frozenset(".!?…\"”’»)]':;,")


class PatternError(ValueError):
    """A pattern, class or template that cannot be compiled."""


# -- tokens --------------------------------------------------------------------


_START, _END, _TEXT = itemgetter(0), itemgetter(1), itemgetter(2)  # a token's fields


class TokenView:
    """Parallel arrays over a token list: texts, lower-cased texts, offsets."""

    __slots__ = ("texts", "lowers", "starts", "ends", "n")

    def __init__(self, tokens: Sequence) -> None:
        # map with C callables: no Python-level step per token
        self._fill(list(map(_START, tokens)), list(map(_END, tokens)), list(map(_TEXT, tokens)))

    def _fill(self, starts: list[int], ends: list[int], texts: list[str]) -> None:
        self.texts = texts
        self.lowers = list(map(str.lower, texts))
        self.starts = starts
        self.ends = ends
        self.n = len(texts)

    @classmethod
    def from_columns(cls, starts: list[int], ends: list[int], texts: list[str]) -> "TokenView":
        """A view over parallel lists (``Document.token_columns``), shared, not copied: read only."""
        v = cls.__new__(cls)
        v._fill(starts, ends, texts)
        return v

    @classmethod
    def from_text(cls, text: str) -> "TokenView":
        from .document import _WORD_RE

        return cls([(m.start(), m.end(), m.group()) for m in _WORD_RE.finditer(text)])


# -- word classes --------------------------------------------------------------


class WordClass:
    """A set of single tokens: listed words, word endings, minus exceptions.

    ``case``: "any" (default), "lower" (the token must be lower case), "cap"
    (must start with a capital), "exact" (listed words match as written).
    (A plain class, not a dataclass: cheaper to define at start-up.)
    """

    def __init__(
        self,
        name: str,
        words: frozenset[str] = frozenset(),
        suffixes: tuple[str, ...] = (),
        exclude: frozenset[str] = frozenset(),
        min_len: int = 0,
        case: str = "any",
    ) -> None:
        if case not in ("any", "lower", "cap", "exact"):
            raise PatternError(f"class {name}: unknown case {case!r}")
        if case != "exact":
            words = frozenset(w.lower() for w in words)
            exclude = frozenset(w.lower() for w in exclude)
        self.name = name
        self.words = words
        self.suffixes = suffixes
        self.exclude = exclude
        self.min_len = min_len
        self.case = case

    def test(self, text: str, lower: str) -> bool:
        if self.case == "exact":
            if text in self.exclude:
                return False
            if text in self.words:
                return True
        else:
            if self.case == "lower" and text != lower:
                return False
            if self.case == "cap" and not text[:1].isupper():
                return False
            if lower in self.exclude:
                return False
            if lower in self.words:
                return True
        if self.suffixes and len(text) >= self.min_len and text[:1].isalpha():
            return lower.endswith(self.suffixes)
        return False

    @property
    def literal(self) -> frozenset[str] | None:
        """Lower-cased words this class can match, when finite (usable as an anchor)."""
        if self.suffixes:
            return None
        return frozenset(w.lower() for w in self.words - self.exclude) if self.case == "exact" else self.words - self.exclude


def _is_cap_word(t: str) -> bool:
    return t[:1].isupper() and t[:1].isalpha()


class ClassTable:
    """Named word classes of one rules file plus the built-in ones.

    Built in: ANY (any token), WORD (a word), PUNCT (a punctuation token), CAP
    (a capitalised word), LOWER (a lower-case word), UPPER (an all-caps word of
    two letters or more), and the runs NAME and NUM. NAME skips words of the
    class ``NAME_STOP`` when the file defines one, and joins particles of the
    class ``NAME_PARTICLE`` ("de", "von") between capitalised words.
    """

    BUILTINS = ("ANY", "WORD", "PUNCT", "CAP", "LOWER", "UPPER", "NUM", "NAME")

    def __init__(self, classes: Mapping[str, WordClass] | None = None) -> None:
        self.classes: dict[str, WordClass] = dict(classes or {})
        for name in self.classes:
            if name in self.BUILTINS:
                raise PatternError(f"class {name} shadows a built-in class")
        stop = self.classes.get("NAME_STOP")
        particles = self.classes.get("NAME_PARTICLE")
        self.name_stop = stop.words if stop else frozenset()
        self.particles = particles.words if particles else frozenset()

    @classmethod
    def from_data(cls, data: Mapping[str, Mapping]) -> "ClassTable":
        """Build from ``{NAME: {words=[...], suffixes=[...], exclude=[...], include=[...], ...}}``.

        An ``exclude`` entry "@OTHER" excludes every word of class OTHER.
        """
        raw = {k: dict(v) for k, v in data.items()}
        done: dict[str, WordClass] = {}

        def build(name: str, seen: tuple[str, ...] = ()) -> WordClass:
            if name in done:
                return done[name]
            if name not in raw:
                raise PatternError(f"unknown class @{name}")
            if name in seen:
                raise PatternError(f"class {name} includes itself")
            spec = raw[name]
            unknown = set(spec) - {"words", "suffixes", "exclude", "include", "min_len", "case", "note"}
            if unknown:
                raise PatternError(f"class {name}: unknown keys {sorted(unknown)}")
            words = set(spec.get("words", ()))
            suffixes = list(spec.get("suffixes", ()))
            case = spec.get("case", "any")
            for inc in spec.get("include", ()):
                sub = build(inc, seen + (name,))
                if sub.case == "exact" and case != "exact":
                    words.update(w.lower() for w in sub.words)
                else:
                    words.update(sub.words)
                suffixes.extend(s for s in sub.suffixes if s not in suffixes)
            exclude: set[str] = set()
            for x in spec.get("exclude", ()):
                if x.startswith("@"):  # every word of another class
                    exclude.update(build(x[1:], seen + (name,)).words)
                else:
                    exclude.add(x)
            wc = WordClass(
                name,
                frozenset(words),
                tuple(suffixes),
                frozenset(exclude),
                int(spec.get("min_len", 0)),
                case,
            )
            done[name] = wc
            return wc

        for name in raw:
            build(name)
        return cls(done)

    # -- runs ------------------------------------------------------------------
    def name_run(self, v: TokenView, i: int, hi: int) -> int:
        """End of the capitalised-name run starting at ``i`` (atomic, maximal), or -1."""
        texts, lowers = v.texts, v.lowers
        j, count = i, 0
        while j < hi and count < NAME_RUN_MAX:
            t = texts[j]
            if _is_cap_word(t) and lowers[j] not in self.name_stop:
                j += 1
                count += 1
                # An initial: "F." in "John F. Kennedy".
                if len(t) == 1 and j < hi and texts[j] == "." and v.starts[j] == v.ends[j - 1]:
                    j += 1
                continue
            if count and lowers[j] in self.particles and t == lowers[j] and j + 1 < hi and _is_cap_word(texts[j + 1]):
                j += 1
                continue
            break
        return j if count else -1

    @staticmethod
    def num_run(v: TokenView, i: int, hi: int) -> int:
        texts = v.texts
        if i >= hi or not texts[i].isdigit():
            return -1
        j, count = i + 1, 1
        while (
            count < NUM_RUN_MAX
            and j + 1 < hi
            and texts[j] in (",", ".")
            and texts[j + 1].isdigit()
            and v.starts[j] == v.ends[j - 1]
            and v.starts[j + 1] == v.ends[j]
        ):
            j += 2
            count += 2
        return j

    def get(self, name: str) -> WordClass:
        try:
            return self.classes[name]
        except KeyError:
            raise PatternError(f"unknown class @{name}") from None


# -- token predicates ----------------------------------------------------------


class TokenTest:
    """One token: any of some literals (exact or case-insensitive) or classes; maybe negated."""

    __slots__ = ("exact", "lower", "classes", "builtins", "negated", "source")

    def __init__(self, exact, lower, classes, builtins, negated, source):
        self.exact: frozenset[str] = exact
        self.lower: frozenset[str] = lower
        self.classes: tuple[WordClass, ...] = classes
        self.builtins: tuple[str, ...] = builtins
        self.negated: bool = negated
        self.source = source

    def __call__(self, v: TokenView, i: int) -> bool:
        t = v.texts[i]
        low = v.lowers[i]
        hit = t in self.exact or low in self.lower
        if not hit:
            for c in self.classes:
                if c.test(t, low):
                    hit = True
                    break
        if not hit:
            for b in self.builtins:
                if _builtin(b, t, low):
                    hit = True
                    break
        return hit != self.negated

    @property
    def literal(self) -> frozenset[str] | None:
        if self.negated or self.builtins:
            return None
        out = set(self.lower)
        out.update(w.lower() for w in self.exact)
        for c in self.classes:
            lit = c.literal
            if lit is None:
                return None
            out.update(lit)
        return frozenset(out)


def _builtin(name: str, t: str, low: str) -> bool:
    c = t[:1]
    if name == "ANY":
        return True
    if name == "WORD":
        return c.isalnum()
    if name == "PUNCT":
        return not c.isalnum()
    if name == "CAP":
        return c.isupper()
    if name == "LOWER":
        return c.isalpha() and t == low
    if name == "UPPER":
        return len(t) >= 2 and t.isupper()
    return False


# -- pattern nodes -------------------------------------------------------------

Cont = Callable[[int, dict], "tuple[int, dict] | None"]


class _Ctx(NamedTuple):  # not a dataclass: cheaper to define at start-up
    v: TokenView
    lo: int
    hi: int
    table: ClassTable


class Node:
    cap: str | None = None
    min: int = 1
    max: int = 1

    def width(self) -> tuple[int, int]:
        raise NotImplementedError

    def match(self, pos: int, env: dict, c: _Ctx, cont: Cont):
        raise NotImplementedError


class Tok(Node):
    def __init__(self, test: TokenTest, lo: int = 1, hi: int = 1, cap: str | None = None):
        self.test, self.min, self.max, self.cap = test, lo, hi, cap

    def width(self):
        return self.min, self.max

    def match(self, pos, env, c, cont):
        n = 0
        limit = min(self.max, c.hi - pos)
        test, v = self.test, c.v
        while n < limit and test(v, pos + n):
            n += 1
        if n < self.min:
            return None
        for k in range(n, self.min - 1, -1):
            e = {**env, self.cap: (pos, pos + k)} if self.cap and k else env
            r = cont(pos + k, e)
            if r is not None:
                return r
        return None


class Run(Node):
    """NAME or NUM: a maximal run, matched atomically (no backtracking inside)."""

    def __init__(self, kind: str, lo: int = 1, hi: int = 1, cap: str | None = None):
        if hi > 1:
            raise PatternError(f"@{kind} can be optional but not repeated")
        self.kind, self.min, self.max, self.cap = kind, lo, hi, cap

    def width(self):
        return 0 if self.min == 0 else 1, NAME_RUN_MAX * 2 if self.kind == "NAME" else NUM_RUN_MAX

    def match(self, pos, env, c, cont):
        end = c.table.name_run(c.v, pos, c.hi) if self.kind == "NAME" else c.table.num_run(c.v, pos, c.hi)
        if end > pos:
            e = {**env, self.cap: (pos, end)} if self.cap else env
            r = cont(end, e)
            if r is not None:
                return r
        if self.min == 0:
            return cont(pos, env)
        return None


class Group(Node):
    def __init__(self, alts: list[list[Node]], lo: int = 1, hi: int = 1, cap: str | None = None):
        self.alts, self.min, self.max, self.cap = alts, lo, hi, cap

    def width(self):
        ws = [_seq_width(a) for a in self.alts]
        return self.min * min(w[0] for w in ws), self.max * max(w[1] for w in ws)

    def match(self, pos, env, c, cont):
        return self._rep(0, pos, env, pos, c, cont)

    def _rep(self, count: int, p: int, e: dict, start: int, c: _Ctx, cont: Cont):
        """Match repetition ``count`` at ``p`` (the group began at ``start``), then the rest.

        A method, not a closure over itself inside ``match``: a function that refers to
        itself through its own cell is a reference cycle, left to the cyclic garbage
        collector after every call.
        """
        if count < self.max:
            for alt in self.alts:
                r = _match_seq(alt, 0, p, e, c,
                               lambda p2, e2, count=count: self._rep(count + 1, p2, e2, start, c, cont))
                if r is not None:
                    return r
        if count >= self.min:
            if self.cap:
                e = {**e, self.cap: (start, p)}
            return cont(p, e)
        return None


class Assert(Node):
    """Zero-width: "^" sentence start, "$" sentence end, "[" / "]" flagged-span marks."""

    def __init__(self, kind: str):
        self.kind = kind
        self.min = self.max = 1

    def width(self):
        return 0, 0

    def match(self, pos, env, c, cont):
        k = self.kind
        if k == "^":
            return cont(pos, env) if pos == c.lo else None
        if k == "$":
            texts = c.v.texts
            if all(texts[j] in CLOSERS for j in range(pos, c.hi)):
                return cont(pos, env)
            return None
        return cont(pos, {**env, k: pos})


def _first_set(alts: Sequence[Sequence[Node]]) -> frozenset[str] | None:
    """Lower-cased words that every match of one of ``alts`` starts with, when finite."""
    out: set[str] = set()
    for seq in alts:
        found = False
        for n in seq:
            if isinstance(n, Assert):
                continue
            if isinstance(n, Tok):
                lit = n.test.literal
            elif isinstance(n, Group):
                lit = _first_set(n.alts)
            else:
                lit = None
            if lit is None:
                return None
            out |= lit
            if n.min >= 1:
                found = True
                break
        if not found:
            return None
    return frozenset(out)


def _seq_width(nodes: Sequence[Node]) -> tuple[int, int]:
    lo = hi = 0
    for n in nodes:
        a, b = n.width()
        lo += a
        hi += b
    return lo, hi


def _match_seq(nodes: Sequence[Node], k: int, pos: int, env: dict, c: _Ctx, cont: Cont):
    if k == len(nodes):
        return cont(pos, env)
    return nodes[k].match(pos, env, c, lambda p, e: _match_seq(nodes, k + 1, p, e, c, cont))


# -- parsing -------------------------------------------------------------------

_QUANT_RE = re.compile(r"(\?|\{(\d+)(?:,(\d+))?\})$")
_CAP_RE = re.compile(r"^([a-z_][a-z0-9_]*):(?=.)")
_SPECIAL = "[]()"


_LEX_RE = re.compile(
    r"\s+"
    r"|(?P<capgroup>[a-z_][a-z0-9_]*:\()"
    r"|(?P<close>\)(?:\?|\{\d+(?:,\d+)?\})?)"
    r"|(?P<bracket>[\[\]()])"
    r"|(?P<atom>(?:\\.|[^\s\[\]()\\])+)"
    r"|(?P<bad>\\$)"
)


def _lex(src: str) -> list[str]:
    """Split a pattern into items; brackets and parentheses are items of their own."""
    out: list[str] = []
    for m in _LEX_RE.finditer(src):
        kind = m.lastgroup
        if kind is None:
            continue
        if kind == "bad":
            raise PatternError("pattern ends with a lone backslash")
        out.append(m.group())
    return out


def _quant(item: str) -> tuple[str, int, int]:
    if item.startswith("\\") and len(item) == 2:
        return item, 1, 1
    m = _QUANT_RE.search(item)
    if not m or len(item) == len(m.group()) or item[m.start() - 1] == "\\":
        return item, 1, 1
    body = item[: m.start()]
    if m.group(1) == "?":
        return body, 0, 1
    lo = int(m.group(2))
    hi = int(m.group(3)) if m.group(3) is not None else lo
    if hi < lo or hi > 20:
        raise PatternError(f"bad repetition {m.group(1)!r} (at most 20)")
    return body, lo, hi


_ESC_RE = re.compile(r"\\(.)")
_ALT_RE = re.compile(r"(?<!\\)\|")


def _unescape(s: str) -> str:
    return _ESC_RE.sub(r"\1", s) if "\\" in s else s


def _token_test(atom: str, table: ClassTable) -> TokenTest | str:
    """A token test, or the name of a run class (NAME/NUM)."""
    negated = atom.startswith("!") and len(atom) > 1
    if negated:
        atom = atom[1:]
    # Split alternatives on unescaped "|".
    parts = _ALT_RE.split(atom) if "|" in atom else [atom]
    exact: set[str] = set()
    lower: set[str] = set()
    classes: list[WordClass] = []
    builtins: list[str] = []
    for p in parts:
        if not p:
            raise PatternError(f"empty alternative in {atom!r}")
        if p.startswith("@"):
            name = p[1:]
            if name in ("NAME", "NUM"):
                if len(parts) > 1 or negated:
                    raise PatternError(f"@{name} is a run; it cannot be negated or an alternative")
                return name
            if name in ClassTable.BUILTINS:
                builtins.append(name)
            else:
                classes.append(table.get(name))
        elif p.startswith("=") and len(p) > 1:
            exact.add(_unescape(p[1:]))
        else:
            w = _unescape(p)
            if w != w.lower():
                exact.add(w)
            else:
                lower.add(w)
    return TokenTest(frozenset(exact), frozenset(lower), tuple(classes), tuple(builtins), negated, atom)


def _atom_node(body: str, lo: int, hi: int, cap: str | None, table: ClassTable) -> Node:
    """One item: a token test, a run (@NAME, @NUM), or a group when runs and words alternate."""
    parts = _ALT_RE.split(body) if "|" in body else [body]
    runs = [p for p in parts if p in ("@NAME", "@NUM")]
    if not runs:
        test = _token_test(body, table)
        assert not isinstance(test, str)
        return Tok(test, lo, hi, cap)
    if body.startswith("!"):
        raise PatternError(f"{body!r}: @NAME and @NUM cannot be negated")
    if len(parts) == 1:
        return Run(parts[0][1:], lo, hi, cap)
    others = [p for p in parts if p not in runs]
    alts: list[list[Node]] = [[Run(r[1:])] for r in runs]
    if others:
        test = _token_test("|".join(others), table)
        assert not isinstance(test, str)
        alts.append([Tok(test)])
    return Group(alts, lo, hi, cap)


def _parse(items: list[str], i: int, table: ClassTable, depth: int) -> tuple[list[list[Node]], int]:
    """Parse a sequence (with free-standing "|" alternatives) up to ")" or the end."""
    alts: list[list[Node]] = [[]]
    while i < len(items):
        item = items[i]
        if item.startswith(")"):
            if depth == 0:
                raise PatternError("unbalanced ')'")
            return alts, i
        if item == "|":
            if depth == 0:
                raise PatternError("a free-standing '|' needs a group: ( a | b )")
            alts.append([])
            i += 1
            continue
        if item in ("[", "]", "^", "$"):
            alts[-1].append(Assert(item))
            i += 1
            continue
        cap = None
        m = _CAP_RE.match(item)
        if m:
            cap = m.group(1)
            item = item[m.end():]
        if item == "(":
            sub, j = _parse(items, i + 1, table, depth + 1)
            if j >= len(items):
                raise PatternError("unbalanced '('")
            _, lo, hi = _quant(items[j][1:] and "x" + items[j][1:] or "x")
            alts[-1].append(Group(sub, lo, hi, cap))
            i = j + 1
            continue
        body, lo, hi = _quant(item)
        alts[-1].append(_atom_node(body, lo, hi, cap, table))
        i += 1
    if depth:
        raise PatternError("unbalanced '('")
    return alts, i


class Match(NamedTuple):  # not a dataclass: cheaper to define at start-up
    start: int  # token index of the match
    end: int
    flag_start: int  # token index range of the flagged span
    flag_end: int
    captures: dict[str, tuple[int, int]]


class Pattern:
    """A compiled token pattern."""

    def __init__(self, source: str, table: ClassTable):
        self.source = source
        self.table = table
        items = _lex(source)
        if not items:
            raise PatternError("empty pattern")
        alts, _ = _parse(items, 0, table, 0)
        self.nodes: list[Node] = alts[0]
        marks = [n.kind for n in self.nodes if isinstance(n, Assert) and n.kind in "[]"]
        if marks not in ([], ["[", "]"]):
            raise PatternError("use one '[' ... ']' pair, at the top level, to mark the flagged span")
        self.min_width, self.max_width = _seq_width(self.nodes)
        self.captures = _captures(self.nodes)
        self.anchor, self.anchor_offsets = self._find_anchor()

    def _find_anchor(self) -> tuple[frozenset[str] | None, tuple[int, int]]:
        """The required word set that is cheapest to look up: few words, no very common ones.

        Candidates are required top-level tokens with a finite word list, and
        required groups whose every alternative starts with such a token.
        """
        best = None
        lo = hi = 0
        for idx, n in enumerate(self.nodes):
            lit = None
            if n.min >= 1:
                if isinstance(n, Tok):
                    lit = n.test.literal
                elif isinstance(n, Group):
                    lit = _first_set(n.alts)
            if lit:
                cost = sum(1000 if w in COMMON_WORDS else 1 for w in lit) * (hi - lo + 1)
                if best is None or cost < best[0]:
                    best = (cost, lit, (lo, hi), idx)
            a, b = n.width()
            lo += a
            hi += b
        if best is None:
            self.guards = ()
            return None, (0, 0)
        self.guards = self._guards(best[3])
        return best[1], best[2]

    def _guards(self, idx: int) -> tuple[tuple[int, "TokenTest"], ...]:
        """Single-token tests at fixed distances from the anchor token: cheap to check first."""
        out = []
        anchor = self.nodes[idx]
        if isinstance(anchor, Tok) and anchor.min == anchor.max == 1:
            k = -1
            for n in reversed(self.nodes[:idx]):
                if isinstance(n, Assert) and n.kind in "[]":
                    continue
                if isinstance(n, Tok) and n.min == n.max == 1:
                    out.append((k, n.test))
                    k -= 1
                    continue
                break
            k = 1
            for n in self.nodes[idx + 1:]:
                if isinstance(n, Assert) and n.kind in "[]":
                    continue
                if isinstance(n, Tok) and n.min == n.max == 1:
                    out.append((k, n.test))
                    k += 1
                    continue
                break
        return tuple(out)

    def match_at(self, v: TokenView, start: int, lo: int, hi: int, end: int | None = None) -> Match | None:
        c = _Ctx(v, lo, hi, self.table)

        def done(p, e):
            if end is not None and p != end:
                return None
            return p, e

        r = _match_seq(self.nodes, 0, start, {}, c, done)
        if r is None:
            return None
        p, env = r
        fs = env.pop("[", start)
        fe = env.pop("]", p)
        return Match(start, p, fs, fe, env)

    def search(self, v: TokenView, lo: int = 0, hi: int | None = None) -> Iterator[Match]:
        """Every non-overlapping match in tokens [lo, hi) (no anchor index: for tests and small texts)."""
        hi = v.n if hi is None else hi
        i = lo
        while i < hi:
            m = self.match_at(v, i, lo, hi)
            if m is not None and m.end > i:
                yield m
                i = m.end
            else:
                i += 1

    def ends_before(self, v: TokenView, pos: int, lo: int) -> bool:
        """Whether the pattern matches some tokens ending exactly at ``pos`` (a lookbehind)."""
        for s in range(max(lo, pos - self.max_width), pos - self.min_width + 1):
            if self.match_at(v, s, lo, pos, end=pos) is not None:
                return True
        return False

    def starts_at(self, v: TokenView, pos: int, hi: int, lo: int = 0) -> bool:
        return self.match_at(v, pos, lo, hi) is not None

    def __repr__(self) -> str:
        return f"Pattern({self.source!r})"


def _captures(nodes: Iterable[Node]) -> set[str]:
    out: set[str] = set()
    for n in nodes:
        if n.cap:
            out.add(n.cap)
        if isinstance(n, Group):
            for a in n.alts:
                out |= _captures(a)
    return out


def compile_pattern(source: str, table: ClassTable | None = None) -> Pattern:
    return Pattern(source, table or ClassTable())


# -- the multi-pattern matcher --------------------------------------------------


class Entry(NamedTuple):
    """One pattern with its negative lookarounds, as the matcher runs it (a NamedTuple:
    cheaper to define at start-up than a dataclass)."""

    key: object
    pattern: Pattern
    not_before: tuple[Pattern, ...] = ()
    not_after: tuple[Pattern, ...] = ()

    @property
    def anchor(self) -> frozenset[str] | None:
        return self.pattern.anchor


class DeferredEntry:
    """An :class:`Entry` given as pattern sources, compiled the first time the matcher runs it.

    The matcher needs only a pattern's anchor to index it, and the compiled
    mirror of a rules file (``corpora/rules/compiled``) records every
    pattern's anchor; so a story compiles just the patterns whose anchor word
    occurs in it (a few dozen of the 175 English ones) instead of all of them
    at start-up. The sources must compile (the mirror's build checks them).
    """

    __slots__ = ("key", "anchor", "_sources", "_table", "_compiled")

    def __init__(self, key: object, source: str, table: ClassTable, anchor: frozenset[str],
                 not_before: Sequence[str] = (), not_after: Sequence[str] = ()):
        self.key = key
        self.anchor = anchor
        self._sources = (source, tuple(not_before), tuple(not_after))
        self._table = table
        self._compiled: Entry | None = None

    def compiled(self) -> Entry:
        if self._compiled is None:
            source, nb, na = self._sources
            table = self._table
            self._compiled = Entry(
                self.key,
                Pattern(source, table),
                tuple(Pattern(s, table) for s in nb),
                tuple(Pattern(s, table) for s in na),
            )
        return self._compiled

    @property
    def pattern(self) -> Pattern:
        return self.compiled().pattern

    @property
    def not_before(self) -> tuple[Pattern, ...]:
        return self.compiled().not_before

    @property
    def not_after(self) -> tuple[Pattern, ...]:
        return self.compiled().not_after


class Matcher:
    """Runs many patterns over one token view in a single indexed pass.

    ``bounds(i)`` gives the sentence (token range ``lo, hi``) of token ``i``, or
    None where nothing may match (a photo caption, a dateline).
    """

    def __init__(self, entries: Sequence[Entry | DeferredEntry]):
        self.entries = list(entries)
        self.by_word: dict[str, list[int]] = {}
        for idx, e in enumerate(self.entries):
            if e.anchor is None:
                raise PatternError(f"{e.key}: the pattern needs a required word or finite word list as an anchor")
            for w in e.anchor:
                self.by_word.setdefault(w, []).append(idx)

    def index(self, v: TokenView) -> dict[str, list[int]]:
        """Anchor word -> the positions of its tokens in ``v``."""
        by_word = self.by_word
        idx: dict[str, list[int]] = {}
        lowers = v.lowers
        # compress finds the anchor tokens without a Python-level step per token.
        for i in compress(count(), map(by_word.__contains__, lowers)):
            w = lowers[i]
            lst = idx.get(w)
            if lst is None:
                idx[w] = [i]
            else:
                lst.append(i)
        return idx

    def run(
        self,
        v: TokenView,
        bounds: Callable[[int], tuple[int, int] | None],
        active: Callable[[object], bool] = lambda key: True,
    ) -> Iterator[tuple[Entry, Match]]:
        idx = self.index(v)
        # Which entries have an anchor occurrence, and where.
        hits: dict[int, set[int]] = {}
        for w, positions in idx.items():
            for e in self.by_word[w]:
                hits.setdefault(e, set()).update(positions)
        for ei in sorted(hits):
            entry = self.entries[ei]
            if not active(entry.key):
                continue
            if isinstance(entry, DeferredEntry):
                entry = entry.compiled()
            pat = entry.pattern
            a_lo, a_hi = pat.anchor_offsets
            tried: set[int] = set()
            last_end = -1
            guards = pat.guards
            for p in sorted(hits[ei]):
                if guards:
                    ok = True
                    for off, test in guards:
                        q = p + off
                        if q < 0 or q >= v.n or not test(v, q):
                            ok = False
                            break
                    if not ok:
                        continue
                b = bounds(p)
                if b is None:
                    continue
                lo, hi = b
                for s in range(max(lo, p - a_hi), p - a_lo + 1):
                    if s in tried or s < last_end:
                        continue
                    tried.add(s)
                    m = pat.match_at(v, s, lo, hi)
                    if m is None or m.flag_end <= m.flag_start:
                        continue
                    if any(nb.ends_before(v, m.start, lo) for nb in entry.not_before):
                        continue
                    if any(na.starts_at(v, m.end, hi, lo) for na in entry.not_after):
                        continue
                    last_end = m.flag_end
                    yield entry, m
                    break


# -- templates -----------------------------------------------------------------

_TEMPLATE_RE = re.compile(r"\{\{|\}\}|\{([A-Za-z0-9_]+)((?:\|(?:[a-z]+|sub:[^|}:]*:[^|}]*))*)\}")
TRANSFORMS = ("lower", "upper", "title", "cap", "ing")
_SMALL_WORDS = frozenset("of the and for de del la le von van in on at to a an".split())


def _transforms(chain: str) -> list[str]:
    return [t for t in chain.split("|") if t]


def check_template(template: str, captures: set[str]) -> None:
    for m in _TEMPLATE_RE.finditer(template):
        if m.group(1) is None:
            continue
        name = m.group(1)
        if name not in captures and name not in ("0", "match"):
            raise PatternError(f"template {template!r} refers to {{{name}}}, which no pattern captures")
        for t in _transforms(m.group(2)):
            if t not in TRANSFORMS and not t.startswith("sub:"):
                raise PatternError(f"template {template!r}: unknown transform |{t}")
    leftover = _TEMPLATE_RE.sub("", template)
    if "{" in leftover or "}" in leftover:
        raise PatternError(f"template {template!r}: unbalanced brace")


def _sub(s: str, old: str, new: str) -> str:
    if old in s:
        return s.replace(old, new, 1)
    cap_old = old[:1].upper() + old[1:]
    if old and cap_old in s:
        return s.replace(cap_old, new[:1].upper() + new[1:], 1)
    return s


def render(template: str, values: Mapping[str, str], gerunds: Mapping[str, str] | None = None) -> str:
    """Fill ``{name}`` / ``{name|cap}`` / ``{name|sub:old:new}`` from captured texts; "{0}" is the flagged text."""

    def sub(m: re.Match) -> str:
        if m.group(1) is None:
            return m.group()[0]
        s = values.get(m.group(1), "")
        for t in _transforms(m.group(2)):
            if t == "lower":
                s = s.lower()
            elif t == "upper":
                s = s.upper()
            elif t == "title":
                words = s.split(" ")
                s = " ".join(
                    w if (i and w.lower() in _SMALL_WORDS) else w[:1].upper() + w[1:] for i, w in enumerate(words)
                )
            elif t == "cap":
                s = s[:1].upper() + s[1:]
            elif t == "ing":
                s = gerund(s, gerunds)
            elif t.startswith("sub:"):
                _, old, new = t.split(":", 2)
                s = _sub(s, old, new)
        return s

    return _TEMPLATE_RE.sub(sub, template)


_VOWELS = "aeiou"


def gerund(verb: str, exceptions: Mapping[str, str] | None = None) -> str:
    """The -ing form of an English base verb ("meet" -> "meeting", "sign" -> "signing")."""
    low = verb.lower()
    if exceptions and low in exceptions:
        out = exceptions[low]
    elif low.endswith("ie"):
        out = low[:-2] + "ying"
    elif low.endswith("e") and not low.endswith(("ee", "ye", "oe")) and len(low) > 2:
        out = low[:-1] + "ing"
    elif (
        len(low) >= 3
        and low[-1] not in _VOWELS + "wxy"
        and low[-2] in _VOWELS
        and low[-3] not in _VOWELS
        and sum(ch in _VOWELS for ch in low) == 1
    ):
        out = low + low[-1] + "ing"  # one-syllable CVC: stop -> stopping
    else:
        out = low + "ing"
    if verb[:1].isupper():
        out = out[:1].upper() + out[1:]
    return out
