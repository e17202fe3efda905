// mtcheck web page: check a story with POST v1/check, review each finding,
// accept or reject its suggestion, copy the corrected text. No dependencies.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const RANK = { info: 0, warning: 1, error: 2 };

  // The checked text and its findings. Offsets from the server count code
  // points; JavaScript strings count UTF-16 units, so `units[i]` maps a code
  // point offset to a string index.
  let state = null;

  function unitOffsets(text) {
    const out = [0];
    let n = 0;
    for (const ch of text) { n += ch.length; out.push(n); }
    return out;
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children) node.append(c);
    return node;
  }

  function plural(n, word) { return `${n} ${n === 1 ? word : word + "s"}`; }

  function setStatus(message, isError) {
    const s = $("status");
    s.textContent = message;
    s.className = isError ? "error" : "";
    if (isError) s.setAttribute("role", "alert"); else s.setAttribute("role", "status");
  }

  // -- checking ------------------------------------------------------------

  async function runCheck(event) {
    if (event) event.preventDefault();
    const text = $("story").value;
    if (!text.trim()) { setStatus("Paste a story first.", true); $("story").focus(); return; }
    const body = { text, format: $("format").value };
    if ($("target-lang").value) body.target_lang = $("target-lang").value;
    if ($("source-lang").value) body.source_lang = $("source-lang").value;
    if ($("source").value.trim()) body.source = $("source").value;
    if ($("reference").value.trim()) body.reference = $("reference").value;
    $("run").disabled = true;
    setStatus("Checking…");
    let response, data;
    try {
      response = await fetch("v1/check", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
      });
      data = await response.json().catch(() => null);
    } catch (err) {
      setStatus("The server could not be reached: " + err.message, true);
      $("run").disabled = false;
      return;
    }
    $("run").disabled = false;
    if (!response.ok || !data) {
      const reason = data && data.error ? data.error : `HTTP ${response.status}`;
      setStatus(`The check failed: ${reason}`, true);
      return;
    }
    state = {
      text,
      units: unitOffsets(text),
      language: data.language || {},
      summary: data.summary || {},
      findings: data.findings.map((f, i) => ({ ...f, id: i + 1, status: "open", choice: null })),
    };
    setStatus(`Checked: ${plural(state.findings.length, "finding")}.`);
    render();
    $("results").hidden = false;
  }

  // -- state ---------------------------------------------------------------

  // Two findings compete for the same text: accepting one supersedes the other.
  // An insertion point (start === end) overlaps a span only strictly inside it.
  function overlaps(a, b) {
    const ai = a.start === a.end, bi = b.start === b.end;
    if (ai && bi) return a.start === b.start;
    if (ai) return b.start < a.start && a.start < b.end;
    if (bi) return a.start < b.start && b.start < a.end;
    return a.start < b.end && b.start < a.end;
  }

  function superseded(f) {
    return f.status === "open" && state.findings.some((g) => g !== f && g.status === "accepted" && overlaps(f, g));
  }

  function accept(f, choice) {
    if (superseded(f)) return;
    f.status = "accepted";
    f.choice = choice;
    render(f.id);
  }

  function reject(f) { f.status = "rejected"; f.choice = null; render(f.id); }
  function undo(f) { f.status = "open"; f.choice = null; render(f.id); }

  function acceptAllSafe() {
    const open = state.findings.filter((f) => f.status === "open").sort((a, b) => a.start - b.start);
    let n = 0;
    for (const f of open) {
      const i = f.suggestions.findIndex((s) => s.applicability === "safe");
      if (i >= 0 && !superseded(f)) { f.status = "accepted"; f.choice = i; n++; }
    }
    render();
    setStatus(`Accepted ${plural(n, "safe fix")}.`);
  }

  function sliceCp(start, end) {
    const u = state.units, max = u.length - 1;
    return state.text.slice(u[Math.min(start, max)], u[Math.min(end, max)]);
  }

  function correctedText() {
    const accepted = state.findings.filter((f) => f.status === "accepted")
      .sort((a, b) => b.start - a.start || b.end - a.end);
    const u = state.units, max = u.length - 1;
    let text = state.text;
    for (const f of accepted) {
      const repl = f.suggestions[f.choice].replacement;
      text = text.slice(0, u[Math.min(f.start, max)]) + repl + text.slice(u[Math.min(f.end, max)]);
    }
    return text;
  }

  // -- rendering -----------------------------------------------------------

  function worst(fs) {
    return fs.reduce((w, f) => (RANK[f.severity] > RANK[w] ? f.severity : w), "info");
  }

  function tipFor(fs, tipId) {
    const tip = el("span", { class: "tip", role: "tooltip", id: tipId });
    for (const f of fs) {
      const part = el("span", {});
      part.append(el("b", { text: f.code }), ` ${f.name} · ${f.severity}`, el("br"), f.message);
      if (f.suggestions.length) {
        part.append(el("br"), "Suggestion: " + f.suggestions.map((s) => `“${s.replacement}”${s.applicability === "safe" ? "" : " (unsafe)"}`).join(", "));
      }
      tip.append(part);
    }
    return tip;
  }

  function markFor(fs, content, seq, insert) {
    const tipId = `tip-${seq}`;
    const mark = el("mark", {
      class: `flag sev-${worst(fs)}${insert ? " insert" : ""}`,
      tabindex: 0,
      "data-ids": fs.map((f) => f.id).join(" "),
      "data-codes": [...new Set(fs.map((f) => f.code))].join(" "),
      "aria-describedby": tipId,
    }, content, tipFor(fs, tipId));
    const go = () => focusCard(fs[0].id);
    mark.addEventListener("click", go);
    mark.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); go(); }
      else if (e.key === "Escape") mark.classList.add("dismissed");
    });
    mark.addEventListener("blur", () => mark.classList.remove("dismissed"));
    return mark;
  }

  function renderReport() {
    const report = $("report");
    report.replaceChildren();
    const n = state.units.length - 1;
    const shown = state.findings.filter((f) => f.status === "accepted" || (f.status === "open" && !superseded(f)));
    const accepted = shown.filter((f) => f.status === "accepted");
    const open = shown.filter((f) => f.status === "open");
    const points = new Set([0, n]);
    for (const f of shown) { points.add(Math.min(f.start, n)); points.add(Math.min(f.end, n)); }
    const sorted = [...points].sort((a, b) => a - b);
    let seq = 0;
    const appendFix = (fix) => {
      const original = sliceCp(fix.start, fix.end);
      if (original) report.append(el("del", { class: "fixed", text: original }));
      const repl = fix.suggestions[fix.choice].replacement;
      if (repl) report.append(el("ins", { class: "fixed", text: repl, title: `${fix.code}: accepted` }));
    };
    let i = 0;
    while (i < sorted.length) {
      const p = sorted[i];
      for (const f of accepted) if (f.start === p && f.end === p) appendFix(f);
      const inserts = open.filter((f) => f.start === p && f.end === p);
      if (inserts.length) report.append(markFor(inserts, "\u2038", ++seq, true));
      // An accepted fix: the original struck out, the replacement inserted, then on from its end.
      const fix = accepted.find((f) => f.start === p && f.end > p);
      if (fix) {
        appendFix(fix);
        i = sorted.findIndex((q) => q >= Math.min(fix.end, n));
        if (i < 0) break;
        continue;
      }
      if (i + 1 >= sorted.length) break;
      const q = sorted[i + 1];
      const chunk = sliceCp(p, q);
      const covering = open.filter((f) => f.start <= p && q <= f.end && f.start < f.end);
      if (!covering.length) report.append(chunk);
      else report.append(markFor(covering.sort((a, b) => a.id - b.id), chunk, ++seq, false));
      i++;
    }
  }

  function focusCard(id) {
    const card = $(`card-${id}`);
    if (!card) return;
    card.scrollIntoView({ block: "nearest" });
    card.focus();
  }

  function cardFor(f) {
    const sup = superseded(f);
    const cls = `card sev-${f.severity} ${sup ? "superseded" : f.status}`;
    const card = el("li", { class: cls, id: `card-${f.id}`, tabindex: -1, "data-code": f.code });
    const head = el("div", { class: "head" },
      el("code", { text: f.code }), el("span", { text: f.name }),
      el("span", { class: `sev ${f.severity}`, text: f.severity }),
      el("span", { class: "where", text: `line ${f.line}, column ${f.column}` }));
    card.append(head);
    if (f.text) card.append(el("p", {}, "Flagged: ", el("q", { class: "flagged", text: f.text })));
    card.append(el("p", { text: f.message }));
    const buttons = el("div", { class: "buttons" });
    if (f.status === "accepted") {
      const repl = f.suggestions[f.choice].replacement;
      card.append(el("p", { class: "state", text: `Accepted: “${f.text}” → “${repl}”` }));
      buttons.append(el("button", { type: "button", class: "undo", text: "Undo", onclick: () => undo(f) }));
    } else if (f.status === "rejected") {
      card.append(el("p", { class: "state", text: "Rejected: the text stays as it is." }));
      buttons.append(el("button", { type: "button", class: "undo", text: "Undo", onclick: () => undo(f) }));
    } else if (sup) {
      card.append(el("p", { class: "state", text: "Overlaps a fix you accepted." }));
    } else {
      f.suggestions.forEach((s, i) => {
        const label = s.replacement ? `Accept “${s.replacement}”` : "Accept: delete";
        buttons.append(el("button", {
          type: "button", class: "accept", "data-applicability": s.applicability,
          "aria-label": `${label} for ${f.code} at line ${f.line}${s.applicability === "safe" ? "" : " (unsafe: check it)"}`,
          text: label + (s.applicability === "safe" ? "" : " (unsafe)"),
          onclick: () => accept(f, i),
        }));
      });
      buttons.append(el("button", {
        type: "button", class: "reject", text: f.suggestions.length ? "Reject" : "Dismiss",
        "aria-label": `${f.suggestions.length ? "Reject" : "Dismiss"} ${f.code} at line ${f.line}`,
        onclick: () => reject(f),
      }));
    }
    card.append(buttons);
    return card;
  }

  function renderFindings() {
    const list = $("findings");
    list.replaceChildren();
    if (!state.findings.length) {
      list.append(el("li", { class: "empty", text: "No findings: nothing to correct." }));
      return;
    }
    for (const f of state.findings) list.append(cardFor(f));
  }

  function renderSummary() {
    const s = state.summary, lang = state.language;
    const counts = `${plural(state.findings.length, "finding")} (${plural(s.error || 0, "error")}, ${plural(s.warning || 0, "warning")}, ${s.info || 0} info)`;
    const accepted = state.findings.filter((f) => f.status === "accepted").length;
    const rejected = state.findings.filter((f) => f.status === "rejected").length;
    let langs = lang.target ? ` · language: ${lang.target}` : "";
    if (lang.source) langs += `, translated from ${lang.source}`;
    $("summary").textContent = `${counts} · ${plural(s.words || 0, "word")}${langs} · ${accepted} accepted, ${rejected} rejected.`;
    const safeOpen = state.findings.some((f) => f.status === "open" && !superseded(f) && f.suggestions.some((x) => x.applicability === "safe"));
    $("accept-safe").disabled = !safeOpen;
  }

  function render(focusId) {
    renderReport();
    renderFindings();
    renderSummary();
    $("corrected").value = correctedText();
    if (focusId) focusCard(focusId);
  }

  // -- copying -------------------------------------------------------------

  async function copyCorrected() {
    const area = $("corrected"), status = $("copy-status");
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(area.value);
      } else {
        area.focus(); area.select();
        if (!document.execCommand("copy")) throw new Error("the browser refused");
      }
      status.textContent = "Copied."; status.className = "";
    } catch (err) {
      area.focus(); area.select();
      status.textContent = "Could not copy automatically: the text is selected, press Ctrl+C."; status.className = "error";
    }
  }

  function recheck() {
    if (!state) return;
    $("story").value = correctedText();
    runCheck();
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("check-form").addEventListener("submit", runCheck);
    $("accept-safe").addEventListener("click", acceptAllSafe);
    $("recheck").addEventListener("click", recheck);
    $("copy").addEventListener("click", copyCorrected);
    $("story").addEventListener("input", () => {
      if (state && $("story").value !== state.text) setStatus("The story has changed since the check: check it again.");
    });
    $("story").addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) runCheck(e);
    });
  });
})();
