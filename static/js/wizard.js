/* Guichet wizard: character counters, autosave with retries, and the edit-conflict panel.
   Plain JS, no dependency. The page works without it: every step also saves on "Save and continue". */
(function () {
  "use strict";

  function fmt(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, key) { return String(values[key]); });
  }

  /* -- character counters ------------------------------------------------------------------ */
  function setupCounters(root, messages) {
    root.querySelectorAll("[data-counter-for]").forEach(function (counter) {
      var field = document.getElementById(counter.dataset.counterFor);
      if (!field) return;
      var max = parseInt(counter.dataset.max, 10);
      var described = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
      if (described.indexOf(counter.id) === -1) {
        described.push(counter.id);
        field.setAttribute("aria-describedby", described.join(" "));
      }
      function update() {
        var count = field.value.length;
        var over = count > max;
        counter.classList.toggle("over", over);
        counter.textContent = over
          ? fmt(messages.over, { count: count - max, max: max })
          : fmt(messages.counter, { count: count, max: max });
      }
      field.addEventListener("input", update);
      update();
    });
  }

  /* -- autosave ---------------------------------------------------------------------------- */
  function isVersion(value) { return typeof value === "number" && value > 0 && Math.floor(value) === value; }

  function Autosave(form, counterMessages) {
    this.form = form;
    this.url = form.dataset.autosaveUrl;
    this.msg = form.dataset;
    this.counterMessages = counterMessages;
    this.status = document.getElementById("autosave-status");
    this.warning = document.getElementById("autosave-warning");
    this.generalBox = document.getElementById("autosave-errors");
    this.version = form.querySelector("input[name=version]");
    this.dirty = {};        // group key -> generation: changes not saved yet
    this.general = {};      // part -> messages not about one field (see general_errors in forms/steps.py)
    this.generation = 0;
    this.timer = null;
    this.attempt = 0;
    this.inFlight = false;
    this.stopped = false;
    this.conflict = null;   // the conflict being resolved: no save goes out meanwhile
    var self = this;
    form.addEventListener("input", function (e) { self.touch(e.target); });
    form.addEventListener("change", function (e) { self.touch(e.target); });
    form.addEventListener("submit", function () {
      self.stopped = true; clearTimeout(self.timer); self.dirty = {};
      self.csrf();  // signed in again in another tab: the form needs the new token
    });
    window.addEventListener("online", function () { if (self.pending()) self.schedule(200); });
    // Back from signing in again in another tab: what is pending goes at once.
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden && self.pending()) self.schedule(300);
    });
    window.addEventListener("beforeunload", function (e) {
      if (!self.stopped && (self.pending() || self.inFlight)) { e.preventDefault(); e.returnValue = ""; }
    });
  }

  Autosave.prototype.groupOf = function (field) {
    var holder = field.closest("[data-autosave-group]");
    return holder ? "g:" + holder.dataset.autosaveGroup : "f:" + field.name;
  };

  Autosave.prototype.pending = function () { return Object.keys(this.dirty).length > 0; };

  Autosave.prototype.touch = function (field) {
    if (!field.name || field.type === "hidden" || field.type === "file" || this.stopped) return;
    if (field.name.indexOf("application_wizard-") === 0 || field.name === "csrfmiddlewaretoken") return;
    this.dirty[this.groupOf(field)] = ++this.generation;
    this.schedule(1200);
  };

  Autosave.prototype.schedule = function (delay) {
    var self = this;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.save(); }, delay);
  };

  Autosave.prototype.say = function (text, state) {
    this.status.textContent = text;
    this.status.dataset.state = state;
  };

  /* The CSRF token the server expects now: signing in again (in another tab) changes it, and the
     cookie always holds the current one. */
  Autosave.prototype.csrf = function () {
    var input = this.form.querySelector("[name=csrfmiddlewaretoken]");
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) input.value = decodeURIComponent(match[1]);
    return input.value;
  };

  Autosave.prototype.payload = function (groups) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", this.csrf());
    data.append("version", this.version.value);
    var form = this.form;
    groups.forEach(function (key) {
      var fields;
      if (key.indexOf("g:") === 0) {
        var holder = form.querySelector('[data-autosave-group="' + CSS.escape(key.slice(2)) + '"]');
        fields = holder ? holder.querySelectorAll("input, textarea, select") : [];
      } else {
        fields = form.querySelectorAll('[name="' + CSS.escape(key.slice(2)) + '"]');
      }
      fields.forEach(function (field) {
        if (!field.name || field.type === "file" || field.type === "submit") return;
        if (field.type === "checkbox") data.append(field.name, field.checked ? "on" : "");
        else if (field.type === "radio") { if (field.checked) data.append(field.name, field.value); }
        else data.append(field.name, field.value);
      });
    });
    return data;
  };

  /* The answer's JSON, or null when it is not one of autosave's answers: a sign-in page reached by
     a redirect, an error page... Such an answer never counts as saved. */
  function readAnswer(response) {
    var type = response.headers.get("Content-Type") || "";
    if (response.redirected || type.indexOf("application/json") === -1) {
      return Promise.resolve({ status: response.status, body: null });
    }
    return response.json().then(function (body) {
      return { status: response.status, body: body && typeof body === "object" ? body : null };
    }, function () { return { status: response.status, body: null }; });
  }

  Autosave.prototype.save = function () {
    if (this.inFlight || this.stopped || this.conflict || !this.pending()) return;
    var self = this;
    var sent = Object.assign({}, this.dirty);
    var groups = Object.keys(sent);
    this.inFlight = true;
    this.say(this.msg.msgSaving, "saving");
    fetch(this.url, {
      method: "POST",
      body: this.payload(groups),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", "Accept": "application/json" },
    }).then(readAnswer).then(function (result) {
      self.inFlight = false;
      if (result.status >= 500) throw new Error("server " + result.status);
      self.attempt = 0;
      var body = result.body;
      if (result.status === 200 && body && isVersion(body.version)) {
        self.warning.hidden = true;
        // Groups changed again while the request was out stay dirty.
        groups.forEach(function (key) { if (self.dirty[key] === sent[key]) delete self.dirty[key]; });
        self.version.value = body.version;
        self.showErrors(groups, body.errors || {});
        self.showGeneral(body.general_errors || {});
        self.say(body.message, "saved");
        if (self.pending()) self.schedule(300);
      } else if (result.status === 409 && body && body.conflict && isVersion(body.version) && Array.isArray(body.theirs)) {
        self.warning.hidden = true;
        self.say(self.msg.msgConflict, "conflict");
        self.showConflict(body);
      } else {
        // Not saved: the changes stay pending (and the page warns before it is left).
        self.stopped = result.status === 423;
        self.notSaved((body && body.message) || self.msg.msgNotSaved);
      }
    }).catch(function () {
      self.inFlight = false;
      self.attempt += 1;
      if (self.attempt <= 5) {
        var delay = Math.min(30000, 1000 * Math.pow(2, self.attempt));
        self.say(self.msg.msgRetry, "retrying");
        self.schedule(delay);
      } else {
        self.attempt = 0;
        self.notSaved(self.msg.msgFailed);
      }
    });
  };

  Autosave.prototype.notSaved = function (text) {
    this.warning.textContent = text;
    this.warning.hidden = false;
    this.say(text, "error");
  };

  Autosave.prototype.showErrors = function (groups, errors) {
    var form = this.form;
    var names = [];
    groups.forEach(function (key) {
      if (key.indexOf("g:") === 0) {
        var holder = form.querySelector('[data-autosave-group="' + CSS.escape(key.slice(2)) + '"]');
        if (holder) holder.querySelectorAll("input, textarea, select").forEach(function (f) { names.push(f.name); });
      } else names.push(key.slice(2));
    });
    names.forEach(function (name) {
      var field = form.querySelector('[name="' + CSS.escape(name) + '"]');
      if (!field || field.type === "hidden") return;
      var id = (field.id || name) + "_autosave_error";
      var box = document.getElementById(id);
      if (errors[name]) {
        if (!box) {
          box = document.createElement("p");
          box.id = id;
          box.className = "autosave-error";
          field.insertAdjacentElement("beforebegin", box);
          var described = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
          described.unshift(id);
          field.setAttribute("aria-describedby", described.join(" "));
        }
        box.textContent = errors[name].join(" ");
        field.setAttribute("aria-invalid", "true");
      } else if (box) {
        box.remove();
        field.removeAttribute("aria-invalid");
      }
    });
  };

  /* What is wrong with a part as a whole (two indicators with the same name, too many rows...):
     each answer says it for the parts it carried; the others keep what was said before. */
  Autosave.prototype.showGeneral = function (parts) {
    var self = this;
    Object.keys(parts).forEach(function (part) {
      if (parts[part] && parts[part].length) self.general[part] = parts[part];
      else delete self.general[part];
    });
    var messages = [];
    Object.keys(this.general).forEach(function (part) {
      self.general[part].forEach(function (m) { if (messages.indexOf(m) === -1) messages.push(m); });
    });
    var box = this.generalBox;
    if (!box || box.dataset.shown === messages.join("\n")) return;  // unchanged: not announced again
    box.dataset.shown = messages.join("\n");
    box.textContent = "";
    messages.forEach(function (m) {
      var p = document.createElement("p");
      p.className = "message error";
      p.textContent = m;
      box.appendChild(p);
    });
  };

  /* -- edit conflicts ------------------------------------------------------------------------
     A 409 answer carries every part of the step as saved (`theirs`). Each part that differs from
     what the page holds is shown: the ones with changes not saved yet ask for a choice (keep mine,
     keep theirs, merge); the others take the saved values at once (nothing typed is lost), rows
     taken from a fresh copy of the page. The page adopts the answer's version only once every
     choice is made and every part is up to date, so that no later save (not even "Save and
     continue") puts back what the page showed before. */

  function same(a, b) {
    function norm(value) {
      var text = String(value == null ? "" : value).replace(/\r\n/g, "\n").trim();
      var number = text.replace(/[\s\u00a0\u202f$]/g, "");
      number = /^en\b/i.test(document.documentElement.lang) ? number.replace(/,/g, "") : number.replace(",", ".");
      return /^-?\d+(\.\d+)?$/.test(number) ? String(parseFloat(number)) : text;
    }
    return norm(a) === norm(b);
  }

  Autosave.prototype.field = function (name) {
    return this.form.querySelector('[name="' + CSS.escape(name) + '"]');
  };

  Autosave.prototype.valueOf = function (field) {
    if (!field) return { raw: "", text: "" };
    if (field.type === "checkbox") {
      return { raw: field.checked ? "on" : "", text: field.checked ? this.msg.msgYes : this.msg.msgNo };
    }
    if (field.tagName === "SELECT") {
      var option = field.options[field.selectedIndex];
      return { raw: field.value, text: field.value && option ? option.text : "" };
    }
    return { raw: field.value, text: field.value };
  };

  /* What the page holds for a part of `theirs`, or null when the page does not have it. */
  Autosave.prototype.current = function (part) {
    var self = this;
    if (!part.rows) {
      var field = this.field(part.name);
      return field && field.type !== "hidden" ? this.valueOf(field) : null;
    }
    var total = this.field(part.name + "-TOTAL_FORMS");
    if (!total) return null;
    var rows = [], lines = [];
    for (var i = 0; i < (parseInt(total.value, 10) || 0); i++) {
      var removed = this.field(part.name + "-" + i + "-DELETE");
      if (removed && removed.checked) continue;
      var values = part.fields.map(function (name) { return self.valueOf(self.field(part.name + "-" + i + "-" + name)); });
      if (!values.some(function (v) { return v.raw.trim(); })) continue;
      rows.push(values.map(function (v) { return v.raw; }));
      lines.push(values.map(function (v) { return v.text; }).filter(Boolean).join(" — "));
    }
    return { rows: rows, text: lines.join("\n") };
  };

  Autosave.prototype.differs = function (part, mine) {
    if (!part.rows) return !same(mine.raw, part.theirs_raw);
    if (mine.rows.length !== part.values.length) return true;
    return mine.rows.some(function (row, i) {
      return row.some(function (value, j) { return !same(value, part.values[i][j]); });
    });
  };

  Autosave.prototype.keyOf = function (part) {
    return part.rows ? "g:" + part.name : this.groupOf(this.field(part.name));
  };

  /* A field takes its saved value (the counter follows; it is not a change of the applicant's). */
  Autosave.prototype.takeTheirs = function (part) {
    var field = this.field(part.name);
    if (field.type === "checkbox") field.checked = part.theirs_raw === "on";
    else field.value = part.theirs_raw;
    field.dispatchEvent(new Event("input"));
  };

  /* Rows take their saved values: the row set is replaced by the one of a fresh copy of the page. */
  Autosave.prototype.refreshRows = function (names) {
    var self = this;
    if (!names.length) return Promise.resolve();
    return fetch(window.location.pathname, {
      credentials: "same-origin", headers: { "Accept": "text/html" },
    }).then(function (response) {
      if (!response.ok || response.redirected) throw new Error("page " + response.status);
      return response.text();
    }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html");
      names.forEach(function (name) {
        var now = document.getElementById(name);
        var next = fresh.getElementById(name);
        // Rows typed in meanwhile are never replaced: the conflict is shown again at the next save.
        if (!now || !next || self.dirty["g:" + name] !== undefined) throw new Error("rows " + name);
        var focused = now.contains(document.activeElement);
        var node = document.importNode(next, true);
        now.replaceWith(node);
        setupCounters(node, self.counterMessages);
        if (focused) {
          var first = node.querySelector("input:not([type=hidden]), select, textarea");
          if (first) first.focus();
        }
      });
    });
  };

  function versionsBlock(pairs) {
    var versions = document.createElement("div");
    versions.className = "versions";
    pairs.forEach(function (pair) {
      var col = document.createElement("div");
      var head = document.createElement("p");
      head.className = "muted";
      head.textContent = pair[0];
      var pre = document.createElement("pre");
      pre.className = "version";
      pre.textContent = pair[1];
      col.appendChild(head);
      col.appendChild(pre);
      versions.appendChild(col);
    });
    return versions;
  }

  Autosave.prototype.showConflict = function (body) {
    var self = this;
    var panel = document.getElementById("conflict");
    var list = document.getElementById("conflict-fields");
    var who = body.saved_by || this.msg.msgAnotherMember;
    var theirsHead = who + " · " + body.saved_at;
    var choices = [], updated = [];
    body.theirs.forEach(function (part) {
      var mine = self.current(part);
      if (mine === null || !self.differs(part, mine)) return;
      var entry = { part: part, mine: mine, key: self.keyOf(part) };
      (self.dirty[entry.key] !== undefined ? choices : updated).push(entry);
    });
    var conflict = { version: body.version, left: choices.length, refresh: [] };
    this.conflict = conflict;
    var rows = [];
    updated.forEach(function (entry) {
      if (entry.part.rows) rows.push(entry.part.name);
      else self.takeTheirs(entry.part);
    });
    conflict.refresh.push(this.refreshRows(rows));
    if (!choices.length) {
      // Only parts the applicant did not touch differ: they are up to date now.
      panel.hidden = true;
      this.say(fmt(this.msg.msgUpdated, { name: who, time: body.saved_at }), "conflict");
      this.resolved(conflict);
      return;
    }
    document.getElementById("conflict-intro").textContent = body.message;
    list.textContent = "";
    choices.forEach(function (entry) {
      var part = entry.part;
      var block = document.createElement("div");
      block.className = "conflict-field";
      block.dataset.name = part.name;
      var title = document.createElement("h4");
      title.textContent = part.label;
      block.appendChild(title);
      block.appendChild(versionsBlock([[self.msg.msgYours, entry.mine.text], [theirsHead, part.theirs]]));
      var actions = document.createElement("p");
      actions.className = "actions";
      var field = part.rows ? null : self.field(part.name);
      function button(label, name, handler) {
        var b = document.createElement("button");
        b.type = "button";
        b.className = "secondary";
        b.dataset.action = name;
        b.textContent = label;
        var hidden = document.createElement("span");
        hidden.className = "visually-hidden";
        hidden.textContent = " — " + part.label;
        b.appendChild(hidden);
        b.addEventListener("click", function () {
          if (self.conflict !== conflict) return;
          handler();
          var next = block.nextElementSibling;
          block.remove();
          conflict.left -= 1;
          // Focus goes on to the next choice, or back to what was chosen for.
          var target = next && next.querySelector("button");
          if (target) target.focus();
          else if (name !== "merge") (field || self.form.querySelector("#" + CSS.escape(part.name) + " input:not([type=hidden])") || self.form).focus();
          if (!conflict.left) self.resolved(conflict);
        });
        actions.appendChild(b);
      }
      button(self.msg.msgKeepMine, "mine", function () { self.dirty[entry.key] = ++self.generation; });
      button(self.msg.msgKeepTheirs, "theirs", function () {
        // Sent again as it now is: the same as saved, so nothing changes.
        if (field) self.takeTheirs(part);
        else { delete self.dirty[entry.key]; conflict.refresh.push(self.refreshRows([part.name])); }
      });
      if (field && field.type !== "checkbox" && field.tagName !== "SELECT") {
        button(self.msg.msgMerge, "merge", function () {
          var joiner = field.tagName === "TEXTAREA" ? "\n\n" : " ";
          field.value = part.theirs_raw + joiner + entry.mine.raw;
          field.dispatchEvent(new Event("input"));
          self.dirty[entry.key] = ++self.generation;
          self.say(self.msg.msgMerged, "merged");
          field.focus();
        });
      }
      block.appendChild(actions);
      list.appendChild(block);
    });
    if (updated.length) {
      var also = document.createElement("div");
      also.className = "conflict-updated";
      var head = document.createElement("h4");
      head.textContent = fmt(this.msg.msgAlsoChanged, { name: who, time: body.saved_at });
      also.appendChild(head);
      var dl = document.createElement("dl");
      updated.forEach(function (entry) {
        var dt = document.createElement("dt");
        dt.textContent = entry.part.label;
        var dd = document.createElement("dd");
        var pre = document.createElement("pre");
        pre.className = "version";
        pre.textContent = entry.part.theirs;
        dd.appendChild(pre);
        dl.appendChild(dt);
        dl.appendChild(dd);
      });
      also.appendChild(dl);
      list.appendChild(also);
    }
    panel.hidden = false;
    panel.focus();
  };

  /* Every choice made: once the parts being refreshed are up to date, the page takes the version
     just seen and what is pending is saved against it. If they cannot be refreshed, the page
     keeps its version: the next save is checked again, and shows the conflict again. */
  Autosave.prototype.resolved = function (conflict) {
    var self = this;
    var panel = document.getElementById("conflict");
    if (!panel.hidden) {
      panel.hidden = true;
      document.getElementById("conflict-fields").textContent = "";
    }
    Promise.all(conflict.refresh).then(function () {
      if (self.conflict !== conflict) return;
      self.conflict = null;
      self.version.value = conflict.version;
      if (self.pending()) self.schedule(300);
    }, function () {
      // Tried again when the applicant types or presses Save.
      if (self.conflict === conflict) self.conflict = null;
      self.notSaved(self.msg.msgFailed);
    });
  };

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("wizard-form");
    var status = document.getElementById("autosave-status");
    var counters = status ? { counter: status.dataset.msgCounter, over: status.dataset.msgOver } : null;
    if (counters) setupCounters(document, counters);
    if (form && form.dataset.autosaveUrl && window.fetch) {
      window.guichetAutosave = new Autosave(form, counters);
    }
  });
})();
