"""Markdown: CommonMark (plus GFM tables) via markdown-it-py, prose only.

The checks see headings, paragraphs, list items, block quotes and table cells.
Front matter, code blocks, code spans, URLs, images, HTML blocks and inline
HTML are left out; emphasis markers go, the words inside stay.

markdown-it gives block tokens line ranges but inline tokens no positions, so
each inline token's ``content`` is first aligned to its source lines (it is a
suffix of each line, or a cell of a table row), then its children are walked
with a cursor through that content. Code spans, links, images and inline HTML
are skipped by re-running markdown-it's own rule in silent mode, which reports
where the construct ends. Soft and hard breaks become ``"\\n"`` mapped to the
file's line break (an unequal segment for CRLF); entities and backslash escapes
map as unequal segments.
"""
from __future__ import annotations

import re
from typing import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.autolink import autolink
from markdown_it.rules_inline.backticks import backtick
from markdown_it.rules_inline.html_inline import html_inline
from markdown_it.rules_inline.image import image
from markdown_it.rules_inline.link import link
from markdown_it.token import Token

from ..document import BODY, HEADLINE, Document
from .suppress import PlainText

# text_join would fold entities and escapes into plain text; keep them apart.
_MD = MarkdownIt("commonmark").enable("table").disable("text_join")
_FRONT_MATTER = {"---": ("---", "..."), "+++": ("+++",)}
_SKIPPED_RULES: dict[str, Callable[[StateInline, bool], bool]] = {
    "code_inline": backtick,
    "image": image,
    "html_inline": html_inline,
}
Span = tuple[int, int]  # file offsets
_BREAK_RE = re.compile(r"\r\n|\r|\n")  # as markdown-it normalizes them


class _Lines:
    """Source lines with their file offsets, split the way markdown-it splits them."""

    def __init__(self, source: str):
        self.start: list[int] = [0]
        self.end: list[int] = []  # before the line break
        self.next: list[int] = []  # after it
        for m in _BREAK_RE.finditer(source):
            self.end.append(m.start())
            self.next.append(m.end())
            self.start.append(m.end())
        self.end.append(len(source))
        self.next.append(len(source))
        self.source = source
        self.floor = [0] * len(self.start)  # columns already used (table cells)

    def text(self, i: int) -> str:
        return self.source[self.start[i] : self.end[i]]


def _front_matter_lines(lines: _Lines) -> int:
    """Number of lines of a leading YAML (---) or TOML (+++) block, 0 if none."""
    closers = _FRONT_MATTER.get(lines.text(0).rstrip())
    if closers:
        for i in range(1, len(lines.start)):
            if lines.text(i).rstrip() in closers:
                return i + 1
    return 0


def _content_spans(content: str, first: int, lines: _Lines, cell: bool, floor: int = 0) -> list[Span]:
    """File span of every character of an inline token's content, one content line per source line."""
    out: list[Span] = []
    last = len(lines.start) - 1
    for k, part in enumerate(content.split("\n")):
        i = min(first + k, last)
        if k:
            out.append((lines.end[i - 1], lines.next[i - 1]))
        line, base = lines.text(i), lines.start[i]
        lead = len(part) - len(part.lstrip(" "))  # spaces markdown-it made from a tab
        core = part[lead:]
        col = -1
        if not cell:
            for cand in (line, line.rstrip()):
                if cand.endswith(core) and len(cand) - len(core) >= floor:
                    col = len(cand) - len(core)
                    break
        if col < 0:
            col = line.find(core, max(floor, lines.floor[i]))
        if col < 0:  # should not happen; map the line as a whole
            out.extend([(base, lines.end[i])] * len(part))
            continue
        lines.floor[i] = col + len(core)
        out.extend([(base + col, base + col)] * lead)
        out.extend((base + col + j, base + col + j + 1) for j in range(len(core)))
        floor = 0
    return out


def _locate(content: str, piece: str, cur: int) -> int:
    """Where ``piece`` starts at or after the cursor (normally exactly at it)."""
    if content.startswith(piece, cur):
        return cur
    i = content.find(piece, cur)
    return i if i >= 0 else cur


def _rule_end(rule: Callable[[StateInline, bool], bool], content: str, pos: int, env: dict) -> int:
    """End of the construct ``rule`` recognises at ``pos`` (markdown-it in silent mode)."""
    state = StateInline(content, _MD, env, [])
    state.pos = pos
    return state.pos if pos < len(content) and rule(state, True) else pos


class _Walker:
    """Turns inline tokens into plain text, blocks and segments."""

    def __init__(self, source: str):
        self.lines = _Lines(source)
        self.out = PlainText()

    def inline(self, tok: Token, hint: str | None, cell: bool, env: dict, floor: int) -> None:
        """Append the prose of one inline token as one block."""
        content = tok.content
        spans = _content_spans(content, tok.map[0] if tok.map else 0, self.lines, cell, floor)
        out = self.out

        def emit(a: int, b: int) -> None:  # literal content[a:b]
            for j in range(a, b):
                out.add(content[j], *spans[j])

        cur, link_starts = 0, []
        in_autolink = dropped = False  # dropped: a skipped construct since the last text
        for child in tok.children or []:
            t = child.type
            if in_autolink:
                in_autolink = t != "link_close"
            elif t == "text":
                i = _locate(content, child.content, cur)
                cur = i + len(child.content)
                if dropped and out.ends_with_space and child.content.startswith(" "):
                    i += 1  # "a `code` b" reads "a b", not "a  b"
                emit(i, cur)
                dropped = dropped and i == cur
            elif t == "text_special":  # entity or backslash escape
                i = _locate(content, child.markup, cur)
                j = min(i + len(child.markup), len(content))
                if j > i:
                    out.add(child.content, spans[i][0], spans[j - 1][1])
                cur, dropped = j, False
            elif t in ("softbreak", "hardbreak"):
                i = content.find("\n", cur)
                if i >= 0:
                    fs, fe = spans[i]
                    out.add(self.lines.source[fs:fe] if fe - fs == 1 else "\n", fs, fe)  # a lone "\r" stays
                    cur = i + 1
                    while cur < len(content) and content[cur] in " \t":
                        cur += 1
                dropped = False
            elif t in _SKIPPED_RULES:
                end = _rule_end(_SKIPPED_RULES[t], content, cur, env)
                if t == "html_inline":
                    out.comment(content[cur:end])
                cur, dropped = end, True
            elif t == "link_open" and child.markup == "autolink":
                cur = _rule_end(autolink, content, cur, env)
                in_autolink = dropped = True
            elif t == "link_open":
                link_starts.append(cur)
                cur += 1  # "["
            elif t == "link_close":
                start = link_starts.pop() if link_starts else cur
                cur = max(cur, _rule_end(link, content, start, env))
            elif child.markup and t.endswith(("_open", "_close")):  # emphasis
                cur = _locate(content, child.markup, cur) + len(child.markup)
        out.end_block(hint)


def read(text: str, filename: str = "<string>") -> Document:
    walker = _Walker(text)
    lines = walker.lines
    skip = _front_matter_lines(lines)
    # Blank the front matter but keep its lines, so token line numbers stay true.
    parsed = "\n" * skip + text[lines.start[skip] :] if skip else text
    env: dict = {}
    stack: list[Token] = []  # open block tokens
    for tok in _MD.parse(parsed, env):
        if tok.nesting == 1:
            stack.append(tok)
        elif tok.nesting == -1 and stack:
            stack.pop()
        elif tok.type == "html_block":
            walker.out.comment(tok.content)
        elif tok.type == "inline" and tok.content.strip():
            parent = stack[-1] if stack else tok
            heading = parent.type == "heading_open"
            cell = parent.type in ("td_open", "th_open")
            listed = any(t.type == "list_item_open" for t in stack)
            hint = HEADLINE if heading else BODY if (cell or listed) else None
            floor = 0
            if heading and parent.markup.startswith("#") and tok.map:
                floor = _atx_floor(lines.text(tok.map[0]))
            walker.inline(tok, hint, cell, env, floor)
    return walker.out.document(text, filename, "md")


def _atx_floor(line: str) -> int:
    """Column just after an ATX heading's opening ``#`` run."""
    i = max(line.find("#"), 0)
    while i < len(line) and line[i] == "#":
        i += 1
    return i
