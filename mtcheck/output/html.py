"""A self-contained HTML report for copy editors: ``--format html``.

One page for one or many stories, with no external asset (no font, script,
stylesheet or image is fetched), so it can be mailed, archived and opened
offline. Each story's text is shown with its flagged spans highlighted by
severity (colour *and* underline style, so it survives grey-scale printing and
colour blindness); every highlight is focusable (``tabindex="0"``) and
described by a tooltip (``role="tooltip"``, ``aria-describedby``) that shows
the code, the message, the suggestions and, for source-aware findings whose
``extra`` carries it, the aligned source sentence. Below the text a table
lists the story's findings; a table at the top counts them per rule. In print,
tooltips give way to numbered references into those tables.

The output is deterministic (no timestamp), so it can be golden-tested.
"""
from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any, Iterable, TextIO

from ..finding import SEVERITY_RANK

if TYPE_CHECKING:
    from ..finding import Finding
    from ..result import FileResult
    from ..rules import Rule

# Keys of ``Finding.extra`` that carry the aligned source sentence (S rules).
SOURCE_KEYS = ("source_sentence", "source_text")

_CTRL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _visible(match: re.Match[str]) -> str:
    o = ord(match.group())
    return "\u2421" if o == 0x7F else chr(0x2400 + o)


def esc(text: str) -> str:
    """Escape text content; control characters become their Unicode pictures."""
    return html.escape(_CTRL_RE.sub(_visible, text), quote=False)


def attr(text: str) -> str:
    return html.escape(_CTRL_RE.sub(_visible, text), quote=True)


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def source_sentence(f: Finding) -> str:
    """The aligned source sentence a source-aware finding carries, or ''."""
    for key in SOURCE_KEYS:
        value = f.extra.get(key) if f.extra else None
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _suggestion_html(f: Finding) -> str:
    if not f.suggestions:
        return ""
    parts = []
    for s in f.suggestions:
        shown = s.replacement if s.replacement else "(delete)"
        label = "safe fix" if s.applicability == "safe" else "unsafe: check before applying"
        parts.append(f'<q class="sugg {s.applicability}">{esc(shown)}</q> <small>({label})</small>')
    return ", ".join(parts)


def _worst(findings: Iterable[Finding]) -> str:
    return max((f.severity for f in findings), key=lambda s: SEVERITY_RANK.get(s, 0), default="info")


STYLE = """\
:root{color-scheme:light dark;--fg:#1b1b1b;--bg:#fff;--muted:#5c5c5c;--line:#d0d0d0;--panel:#f6f6f4;
--err:#b3261e;--err-bg:#fde3e1;--warn:#8a5300;--warn-bg:#fff0c2;--info:#0b57a4;--info-bg:#e2eefc;--tip:#202124;--tip-fg:#fff}
@media (prefers-color-scheme:dark){:root{--fg:#e8e8e8;--bg:#161616;--muted:#a8a8a8;--line:#3a3a3a;--panel:#222;
--err:#ff8a80;--err-bg:#4a1f1c;--warn:#ffcc66;--warn-bg:#43330f;--info:#8ab4f8;--info-bg:#182c47;--tip:#f1f1f1;--tip-fg:#111}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:72rem;padding:1rem 1.25rem 3rem;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.25rem;margin:2rem 0 .5rem;word-break:break-all}h3{font-size:1.05rem;margin:1.25rem 0 .4rem}
a{color:var(--info)}
.totals{font-size:1.05rem}
.legend{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;padding:0;margin:.5rem 0 1rem;list-style:none;color:var(--muted)}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.92rem}
th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:var(--panel)}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.92em}
.story{white-space:pre-wrap;overflow-wrap:anywhere;font:1.02rem/1.75 Georgia,"Times New Roman",serif;background:var(--panel);
border:1px solid var(--line);border-radius:6px;padding:1rem 1.25rem;margin:.5rem 0 1rem}
mark.flag{position:relative;color:inherit;border-radius:2px;padding:0 1px;text-decoration-line:underline;text-decoration-thickness:2px;
text-underline-offset:3px;cursor:help}
mark.sev-error{background:var(--err-bg);text-decoration-color:var(--err);text-decoration-style:solid}
mark.sev-warning{background:var(--warn-bg);text-decoration-color:var(--warn);text-decoration-style:wavy}
mark.sev-info{background:var(--info-bg);text-decoration-color:var(--info);text-decoration-style:dotted}
mark.insert{text-decoration:none;font-weight:bold}
mark.sev-error.insert{color:var(--err)}mark.sev-warning.insert{color:var(--warn)}mark.sev-info.insert{color:var(--info)}
mark.flag:focus{outline:3px solid var(--info);outline-offset:2px}
.tip{display:none;position:absolute;z-index:10;left:0;top:calc(100% + 6px);width:max-content;max-width:min(28rem,80vw);
white-space:normal;font:.88rem/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-weight:normal;color:var(--tip-fg);
background:var(--tip);border-radius:6px;padding:.5rem .65rem;box-shadow:0 4px 16px rgba(0,0,0,.3);text-align:left}
.tip>span{display:block}.tip>span+span{margin-top:.45rem;padding-top:.45rem;border-top:1px solid rgba(127,127,127,.5)}
.tip b{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
mark.flag:hover>.tip,mark.flag:focus>.tip{display:block}mark.flag.dismissed>.tip{display:none}
sup.ref{font:.7rem system-ui,sans-serif;color:var(--muted);margin-left:1px}
.sev{font-weight:600;white-space:nowrap}.sev.error{color:var(--err)}.sev.warning{color:var(--warn)}.sev.info{color:var(--info)}
.swatch{display:inline-block;padding:0 .35rem;border-radius:2px;text-decoration-line:underline;text-decoration-thickness:2px;text-underline-offset:3px}
.swatch.error{background:var(--err-bg);text-decoration-color:var(--err)}
.swatch.warning{background:var(--warn-bg);text-decoration-color:var(--warn);text-decoration-style:wavy}
.swatch.info{background:var(--info-bg);text-decoration-color:var(--info);text-decoration-style:dotted}
q.sugg{font-weight:600}q.sugg.unsafe{font-weight:normal}
.src{font-style:italic;color:var(--muted)}
.file-error{color:var(--err);font-weight:600}
.clean{color:var(--muted)}
footer{margin-top:3rem;color:var(--muted);font-size:.85rem}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:var(--bg);padding:.25rem .5rem}
@media print{
:root{--fg:#000;--bg:#fff;--muted:#444;--line:#999;--panel:#fff;--err:#000;--warn:#000;--info:#000}
body{max-width:none;padding:0;font-size:11pt}
.tip,.skip,.legend-note{display:none!important}
mark.flag{background:none!important}mark.flag:focus{outline:none}
.story{border:none;padding:0;font-size:11pt;line-height:1.6}
sup.ref{color:#000}
section.file+section.file{break-before:page}
tr,.story{break-inside:auto}tr{break-inside:avoid}
a{color:#000;text-decoration:none}
}
"""

# Escape dismisses a tooltip (WCAG 1.4.13) without moving focus; the page
# works without it.
SCRIPT = """\
document.addEventListener("keydown",function(e){var t=document.activeElement;
if(e.key==="Escape"&&t&&t.classList&&t.classList.contains("flag")){t.classList.add("dismissed")}});
document.addEventListener("focusout",function(e){var t=e.target;if(t&&t.classList)t.classList.remove("dismissed")});
"""


class _Story:
    """Renders one story's text with its findings as nested-free highlight runs."""

    def __init__(self, index: int, text: str, findings: list[Finding], numbers: dict[int, int]):
        self.index = index
        self.text = text
        self.findings = findings
        self.numbers = numbers  # id(finding) -> 1-based number in this file

    def _tip(self, covering: list[Finding], tip_id: str) -> str:
        parts = []
        for f in covering:
            n = self.numbers[id(f)]
            lines = [f"<b>{esc(f.code)}</b> {esc(f.name)} · {esc(f.severity)} · [{n}]", f"<br>{esc(f.message)}"]
            sugg = _suggestion_html(f)
            if sugg:
                lines.append(f"<br>Suggestion: {sugg}")
            src = source_sentence(f)
            if src:
                lines.append(f'<br>Source: <span class="src">{esc(src)}</span>')
            parts.append("<span>" + "".join(lines) + "</span>")
        return f'<span class="tip" role="tooltip" id="{tip_id}">{"".join(parts)}</span>'

    def _mark(self, covering: list[Finding], content: str, seq: int, first_of: list[Finding], insert: bool = False) -> str:
        tip_id = f"t{self.index}-{seq}"
        sev = _worst(covering)
        codes = " ".join(dict.fromkeys(f.code for f in covering))
        firsts = sorted(self.numbers[id(f)] for f in first_of)
        ident = f' id="f{self.index}-{firsts[0]}"' if firsts else ""
        # Further findings starting here get empty anchors, so every table row links somewhere.
        anchors = "".join(f'<span id="f{self.index}-{n}"></span>' for n in firsts[1:])
        cls = f"flag sev-{sev}" + (" insert" if insert else "")
        return (
            f'{anchors}<mark class="{cls}"{ident} tabindex="0" data-codes="{attr(codes)}" aria-describedby="{tip_id}">'
            f"{content}{self._tip(covering, tip_id)}</mark>"
        )

    def render(self) -> str:
        text = self.text
        n = len(text)
        spans: list[tuple[int, int, Finding]] = []
        for f in self.findings:
            s = min(max(f.start, 0), n)
            e = min(max(f.end, s), n)
            spans.append((s, e, f))
        points = sorted({0, n, *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
        starts: dict[int, list[Finding]] = defaultdict(list)
        ends: dict[int, list[Finding]] = defaultdict(list)
        inserts: dict[int, list[Finding]] = defaultdict(list)
        for s, e, f in spans:
            if s == e:
                inserts[s].append(f)
            else:
                starts[s].append(f)
                ends[e].append(f)
        active: list[Finding] = []
        seen: set[int] = set()
        out: list[str] = []
        seq = 0
        for i, p in enumerate(points):
            if ends.get(p):
                closing = ends[p]
                active = [f for f in active if all(f is not c for c in closing)]
                refs = sorted(self.numbers[id(f)] for f in closing)
                out.append(f'<sup class="ref" aria-hidden="true">{",".join(map(str, refs))}</sup>')
            if inserts.get(p):
                seq += 1
                fs = inserts[p]
                out.append(self._mark(fs, "\u2038", seq, fs, insert=True))
                refs = sorted(self.numbers[id(f)] for f in fs)
                out.append(f'<sup class="ref" aria-hidden="true">{",".join(map(str, refs))}</sup>')
                seen.update(id(f) for f in fs)
            active.extend(starts.get(p, ()))
            if i + 1 == len(points):
                break
            chunk = esc(text[p:points[i + 1]])
            if not active:
                out.append(chunk)
                continue
            seq += 1
            first = [f for f in active if id(f) not in seen]
            seen.update(id(f) for f in active)
            out.append(self._mark(sorted(active, key=lambda f: self.numbers[id(f)]), chunk, seq, first))
        return "".join(out)


def _rule_summary(findings: list[tuple[str, Finding]], rules: dict[str, Rule]) -> list[str]:
    counts = Counter(f.code for _, f in findings)
    if not counts:
        return []
    fixable = Counter(f.code for _, f in findings if f.fixable)
    files: dict[str, set[str]] = defaultdict(set)
    severities: dict[str, set[str]] = defaultdict(set)
    names: dict[str, str] = {}
    for fname, f in findings:
        files[f.code].add(fname)
        severities[f.code].add(f.severity)
        names.setdefault(f.code, f.name)
    rows = [
        '<table class="rules" aria-labelledby="by-rule">',
        '<thead><tr><th scope="col">Rule</th><th scope="col">Name</th><th scope="col">What it flags</th>'
        '<th scope="col">Severity</th><th scope="col" class="num">Findings</th>'
        '<th scope="col" class="num">Safe fix</th><th scope="col" class="num">Stories</th></tr></thead><tbody>',
    ]
    for code, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        rule = rules.get(code)
        summary = rule.summary if rule else ""
        sev = sorted(severities[code], key=lambda s: -SEVERITY_RANK.get(s, 0))
        sev_html = ", ".join(f'<span class="sev {esc(s)}">{esc(s)}</span>' for s in sev)
        rows.append(
            f'<tr><th scope="row"><code>{esc(code)}</code></th><td><code>{esc(names[code])}</code></td>'
            f"<td>{esc(summary)}</td><td>{sev_html}</td><td class=\"num\">{count}</td>"
            f'<td class="num">{fixable[code]}</td><td class="num">{len(files[code])}</td></tr>'
        )
    rows.append("</tbody></table>")
    return rows


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _findings_table(index: int, findings: list[Finding], numbers: dict[int, int], has_text: bool) -> list[str]:
    with_source = any(source_sentence(f) for f in findings)
    head = ['<th scope="col" class="num">#</th>', '<th scope="col">Line:col</th>', '<th scope="col">Rule</th>',
            '<th scope="col">Severity</th>', '<th scope="col">Text</th>', '<th scope="col">Message</th>',
            '<th scope="col">Suggestion</th>']
    if with_source:
        head.append('<th scope="col">Source sentence</th>')
    rows = [f'<table class="findings"><thead><tr>{"".join(head)}</tr></thead><tbody>']
    for f in findings:
        n = numbers[id(f)]
        num = f'<a href="#f{index}-{n}">{n}</a>' if has_text else str(n)
        cells = [
            f'<td class="num">{num}</td>',
            f"<td>{f.line}:{f.column}</td>",
            f"<td><code>{esc(f.code)}</code> <code>{esc(f.name)}</code></td>",
            f'<td><span class="sev {esc(f.severity)}">{esc(f.severity)}</span></td>',
            f"<td><q>{esc(_short(f.text))}</q></td>" if f.text else "<td></td>",
            f"<td>{esc(f.message)}</td>",
            f"<td>{_suggestion_html(f)}</td>",
        ]
        if with_source:
            src = source_sentence(f)
            cells.append(f'<td class="src">{esc(src)}</td>' if src else "<td></td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    rows.append("</tbody></table>")
    return rows


def _counts(findings: Iterable[Finding]) -> str:
    by = Counter(f.severity for f in findings)
    return f"{_plural(by['error'], 'error')}, {_plural(by['warning'], 'warning')}, {by['info']} info"


def _file_section(index: int, result: FileResult) -> list[str]:
    name = result.filename
    out = [f'<section class="file" id="story-{index}" aria-labelledby="h-story-{index}">',
           f'<h2 id="h-story-{index}">{esc(name)}</h2>']
    if result.error is not None:
        out.append(f'<p class="file-error" role="alert">Could not be checked: {esc(result.error)}</p>')
        out.append("</section>")
        return out
    findings = sorted(result.findings, key=lambda f: (f.start, f.end, f.code))
    numbers = {id(f): i for i, f in enumerate(findings, 1)}
    text = result.document.source if result.document is not None else None
    if not findings:
        out.append('<p class="clean">No findings.</p>')
        if text:
            out.append(f'<details><summary>Show the text</summary><div class="story">{esc(text)}</div></details>')
        out.append("</section>")
        return out
    out.append(f"<p>{_plural(len(findings), 'finding')} ({_counts(findings)}).</p>")
    if text is not None:
        body = _Story(index, text, findings, numbers).render()
        out.append(f'<div class="story" role="document" aria-label="Text of {attr(name)}">{body}</div>')
    out.append(f'<h3 id="h-findings-{index}">Findings</h3>')
    out += _findings_table(index, findings, numbers, text is not None)
    out.append("</section>")
    return out


def render(results: list[FileResult], *, rules: dict[str, Rule] | None = None) -> str:
    """The whole page as a string."""
    import mtcheck

    if rules is None:
        try:
            from ..rules import all_rules

            rules = all_rules()
        except Exception:  # a broken check module must not cost the report
            rules = {}
    all_findings = [(r.filename, f) for r in results for f in r.findings]
    checked = [r for r in results if r.error is None]
    failed = [r for r in results if r.error is not None]
    flagged = sum(1 for r in results if r.findings)
    title = f"mtcheck report: {results[0].filename}" if len(results) == 1 else f"mtcheck report: {_plural(len(results), 'story', 'stories')}"

    if all_findings:
        where = "" if len(results) == 1 else f" in {flagged} of {len(results)} stories"
        totals = f"{_plural(len(all_findings), 'finding')} ({_counts(f for _, f in all_findings)}){where}."
    elif checked:
        totals = "No findings: all checks passed." if not failed else "No findings."
    else:
        totals = "Nothing was checked."
    fixable = sum(1 for _, f in all_findings if f.fixable)

    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<meta name=\"color-scheme\" content=\"light dark\">",
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'\">",
        f'<meta name="generator" content="mtcheck {attr(mtcheck.__version__)}">',
        f"<title>{esc(title)}</title>",
        f"<style>\n{STYLE}</style>",
        "</head>",
        "<body>",
        '<a class="skip" href="#stories">Skip to the stories</a>',
        "<header>",
        "<h1>mtcheck report</h1>",
        f'<p class="totals">{esc(totals)}</p>',
    ]
    if fixable:
        out.append(f"<p>{_plural(fixable, 'finding')} with a safe fix (<code>mtcheck --fix</code> applies them).</p>")
    if failed:
        out.append(f'<p class="file-error">{_plural(len(failed), "story", "stories")} could not be checked.</p>')
    out += [
        '<ul class="legend" aria-label="Severity legend">',
        '<li><span class="swatch error">error</span> solid underline</li>',
        '<li><span class="swatch warning">warning</span> wavy underline</li>',
        '<li><span class="swatch info">info</span> dotted underline</li>',
        '<li class="legend-note">Hover over or tab to a highlight for the rule, message and suggestion; '
        "Escape hides it.</li>",
        "</ul>",
        "</header>",
        "<main>",
    ]
    if all_findings:
        out.append('<h2 id="by-rule">Findings per rule</h2>')
        out += _rule_summary(all_findings, rules)
    if len(results) > 1:
        out.append('<h2 id="toc">Stories</h2>')
        out.append('<table class="toc"><thead><tr><th scope="col">Story</th><th scope="col" class="num">Errors</th>'
                   '<th scope="col" class="num">Warnings</th><th scope="col" class="num">Info</th></tr></thead><tbody>')
        for i, r in enumerate(results, 1):
            link = f'<a href="#story-{i}">{esc(r.filename)}</a>'
            if r.error is not None:
                out.append(f'<tr><td>{link}</td><td colspan="3" class="file-error">could not be checked</td></tr>')
                continue
            by = Counter(f.severity for f in r.findings)
            out.append(f'<tr><td>{link}</td><td class="num">{by["error"]}</td><td class="num">{by["warning"]}</td>'
                       f'<td class="num">{by["info"]}</td></tr>')
        out.append("</tbody></table>")
    out.append('<div id="stories">')
    for i, r in enumerate(results, 1):
        out += _file_section(i, r)
    out += [
        "</div>",
        "</main>",
        f"<footer>Generated by mtcheck {esc(mtcheck.__version__)}. Offsets count Unicode code points; "
        "lines and columns are 1-based.</footer>",
        f"<script>\n{SCRIPT}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(out) + "\n"


def write(results: list[FileResult], stream: TextIO, *, rules: dict[str, Rule] | None = None, **_: Any) -> None:
    stream.write(render(results, rules=rules))
