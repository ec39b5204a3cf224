// The bill's text, part by part, with the claims about each part in its margin (graph/reader.py
// gives the data). A version selector shows any version's words and what changed from the
// version before, struck and inserted, so a reader sees which objection came before which
// amendment. Without the versions' texts it shows the bill's outline and each part's summary.
// Corpus and bill text reach the page through textContent only.
(function () {
  "use strict";

  var map = window.debateMap;
  var data = map.data;
  var info = map.info;
  var el = map.el;
  var rd = data.reader;
  var root = document.getElementById("reader");
  if (!rd || !root) return;
  var SIDES = [["for", "for"], ["against", "against"], ["mixed", "mixed"], ["other", "without a side"]];
  var state = { version: rd.versions.length ? rd.versions.length - 1 : -1, changes: true };
  var drawn = false;

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  function sideOf(claim) {
    var i = info[claim];
    var side = { support: "for", oppose: "against", "oppose-unless-amended": "against", veto: "against",
                 "support-if-amended": "mixed", concerns: "mixed", neutral: "mixed" }[i.stanceFacet];
    return side || "other";
  }

  function counts(m) {
    var box = el("div", "counts");
    SIDES.forEach(function (s) {
      if (m[s[0]]) box.appendChild(el("span", "pill " + s[0], m[s[0]] + " " + s[1]));
    });
    if (m.counter) box.appendChild(el("span", "pill counter", "⚔ " + plural(m.counter, "counterclaim", "counterclaims")));
    box.title = plural(m.claims, "claim", "claims") + " about this part and its parts" +
      (m.counter ? "; " + plural(m.counter, "counterclaim answers", "counterclaims answer") +
       " claims about this part itself" : "");
    return box;
  }

  function claimList(ids) {
    var ul = el("ul", "rd-claims");
    ids.forEach(function (c) {
      var i = info[c];
      if (!i) return;
      var li = el("li", "side-" + sideOf(c));
      var b = el("button", "rd-claim", i.label);
      b.type = "button";
      b.setAttribute("data-node", c);
      b.addEventListener("click", function () {
        map.showNode(c);
        b.scrollIntoView({ block: "center" });  // the text steps aside for the panel: keep it here
      });
      li.appendChild(b);
      var doc = i.source && info[i.source] ? info[i.source].label : i.sourceTitle;
      li.appendChild(el("span", "rd-src", (doc || "") + (i.date ? ", " + i.date : "")));
      ul.appendChild(li);
    });
    return ul;
  }

  function margin(node) {
    var side = el("div", "rd-margin");
    var m = node && rd.margin[node];
    if (!m) return side;
    side.appendChild(counts(m));
    if (m.own.length) side.appendChild(claimList(m.own));
    else if (m.claims) side.appendChild(el("p", "rd-note", "Claims are about its parts, below."));
    return side;
  }

  function words(parent, text, change) {
    var p = el("p", "rd-words");
    if (change && state.changes && change[0] !== "added") {
      change[2].forEach(function (op, k) {
        if (k) p.appendChild(document.createTextNode(" "));
        var tag = op[0] === "-" ? "del" : op[0] === "+" ? "ins" : "span";
        p.appendChild(el(tag, null, op[1]));
      });
    } else if (change && state.changes && change[0] === "added") {
      p.appendChild(el("ins", null, text));
    } else {
      p.textContent = text;
    }
    parent.appendChild(p);
  }

  function row(list, opts) {
    var li = el("li", "rd-part");
    li.style.setProperty("--depth", String(Math.min(opts.depth, 6)));
    if (opts.node) li.setAttribute("data-node", opts.node);
    li.setAttribute("data-part", opts.cite);
    var text = el("div", "rd-text");
    var head = el("div", "rd-head");
    var cite = el("button", "cite", opts.cite);
    cite.type = "button";
    if (opts.node && info[opts.node]) {
      cite.addEventListener("click", function () { map.showNode(opts.node); });
    } else {
      cite.disabled = true;
    }
    head.appendChild(cite);
    if (opts.heading) head.appendChild(el("span", "heading", opts.heading));
    if (opts.change && state.changes) {
      var kind = opts.change[0];
      var tag = el("span", "change " + kind, kind === "renumbered" ? "renumbered from " + opts.change[1] : kind);
      head.appendChild(tag);
    }
    text.appendChild(head);
    if (opts.text) words(text, opts.text, opts.change);
    if (opts.summary) text.appendChild(el("p", "rd-summary", opts.summary));
    li.appendChild(text);
    li.appendChild(margin(opts.node));
    list.appendChild(li);
  }

  function heading(id) {
    var i = info[id];
    var label = i.label || "";
    var at = i.citation ? label.indexOf(i.citation) : -1;
    return at >= 0 ? label.slice(at + i.citation.length).trim() : "";
  }

  function render() {
    root.textContent = "";
    var wrap = el("div", "rd");
    var bar = el("div", "rd-bar");
    var bill = rd.bill && info[rd.bill];
    bar.appendChild(el("h2", null, (bill ? bill.label + ": " : "") + "the text, part by part"));
    var controls = el("div", "rd-controls");
    var label = el("label", null, "Version ");
    var select = el("select");
    select.id = "reader-version";
    if (!rd.versions.length) {
      var only = el("option", null, "The bill's outline (no version's text is held here)");
      only.value = "-1";
      select.appendChild(only);
    }
    rd.versions.forEach(function (v, k) {
      var opt = el("option", null, v.label.replace(/^[^,]*, /, "") + (v.date ? " (" + v.date + ")" : ""));
      opt.value = String(k);
      select.appendChild(opt);
    });
    select.value = String(state.version);
    select.addEventListener("change", function () { state.version = +select.value; render(); });
    label.appendChild(select);
    controls.appendChild(label);
    if (rd.versions.length) {
      var toggle = el("label");
      var box = el("input");
      box.type = "checkbox";
      box.id = "reader-changes";
      box.checked = state.changes;
      box.addEventListener("change", function () { state.changes = box.checked; render(); });
      toggle.appendChild(box);
      toggle.appendChild(el("span", null, " Show what changed from the version before"));
      controls.appendChild(toggle);
    }
    bar.appendChild(controls);
    var v = rd.versions[state.version];
    var summary = el("p", "rd-hint");
    if (v && state.version > 0) {
      var changed = Object.keys(v.changes).length;
      summary.textContent = "From " + rd.versions[state.version - 1].label.replace(/^[^,]*, /, "") +
        ": " + plural(changed, "part changed or added", "parts changed or added") + ", " +
        plural(v.removed.length, "part removed", "parts removed") +
        ". Struck words are crossed out in red, inserted words underlined in green.";
    } else if (v) {
      summary.textContent = "The first version: nothing to compare it with.";
    } else {
      summary.textContent = "The bill's parts in its own order, each with the corpus's summary of it.";
    }
    bar.appendChild(summary);
    bar.appendChild(el("p", "rd-hint", "Beside each part, the claims about it: for in green, against in red, " +
      "with how many claims are about it and its parts, and how many counterclaims answer them. Click one for its details."));
    wrap.appendChild(bar);
    var list = el("ol", "rd-parts");
    if (rd.bill && rd.margin[rd.bill]) {
      var whole = el("li", "rd-part rd-whole");
      whole.setAttribute("data-node", rd.bill);
      var t = el("div", "rd-text");
      t.appendChild(el("div", "rd-head", "The bill as a whole"));
      whole.appendChild(t);
      var side = el("div", "rd-margin");
      side.appendChild(counts(rd.margin[rd.bill]));
      var more = el("details");
      more.appendChild(el("summary", null, "The " + plural(rd.margin[rd.bill].own.length, "claim", "claims") + " about the whole bill"));
      more.appendChild(claimList(rd.margin[rd.bill].own));
      side.appendChild(more);
      whole.appendChild(side);
      list.appendChild(whole);
    }
    if (v) {
      v.parts.forEach(function (p) {
        row(list, { cite: p[0], heading: p[2], depth: p[3], node: p[4], text: p[5],
                    change: state.version > 0 ? v.changes[p[0]] : null });
      });
      if (state.changes && v.removed.length) {
        var gone = el("li", "rd-part rd-removed");
        var gt = el("div", "rd-text");
        gt.appendChild(el("div", "rd-head", "Removed in this version"));
        v.removed.forEach(function (r) {
          var p = el("p", "rd-words");
          p.appendChild(el("span", "cite", r[0] + " "));
          p.appendChild(el("del", null, r[1]));
          gt.appendChild(p);
        });
        gone.appendChild(gt);
        gone.appendChild(el("div", "rd-margin"));
        list.appendChild(gone);
      }
    } else {
      rd.outline.forEach(function (o) {
        var i = info[o[0]];
        row(list, { cite: i.citation || i.label, heading: heading(o[0]), depth: o[1], node: o[0],
                    summary: i.description });
      });
    }
    wrap.appendChild(list);
    root.appendChild(wrap);
    drawn = true;
  }

  map.onView("reader", function () { if (!drawn) render(); });
  window.debateReader = {
    render: render,
    version: function (k) { state.version = k; render(); }
  };
})();
