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
  function Autosave(form) {
    this.form = form;
    this.url = form.dataset.autosaveUrl;
    this.msg = form.dataset;
    this.status = document.getElementById("autosave-status");
    this.warning = document.getElementById("autosave-warning");
    this.version = form.querySelector("input[name=version]");
    this.dirty = {};        // group key -> generation
    this.generation = 0;
    this.timer = null;
    this.attempt = 0;
    this.inFlight = false;
    this.stopped = false;
    var self = this;
    form.addEventListener("input", function (e) { self.touch(e.target); });
    form.addEventListener("change", function (e) { self.touch(e.target); });
    form.addEventListener("submit", function () { self.stopped = true; clearTimeout(self.timer); self.dirty = {}; });
    window.addEventListener("online", function () { if (self.pending()) self.schedule(200); });
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

  Autosave.prototype.payload = function (groups) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", this.form.querySelector("[name=csrfmiddlewaretoken]").value);
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

  Autosave.prototype.save = function () {
    if (this.inFlight || this.stopped || !this.pending()) return;
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
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { status: response.status, body: body };
      });
    }).then(function (result) {
      self.inFlight = false;
      if (result.status >= 500) throw new Error("server " + result.status);
      self.attempt = 0;
      self.warning.hidden = true;
      // Groups changed again while the request was out stay dirty.
      groups.forEach(function (key) { if (self.dirty[key] === sent[key]) delete self.dirty[key]; });
      if (result.status === 200) {
        self.version.value = result.body.version;
        self.showErrors(groups, result.body.errors || {});
        self.say(result.body.message, "saved");
        if (self.pending()) self.schedule(300);
      } else if (result.status === 409 && result.body.conflict) {
        groups.forEach(function (key) { self.dirty[key] = sent[key]; });  // still unsaved
        self.say(self.msg.msgConflict, "conflict");
        self.showConflict(result.body);
      } else {
        self.stopped = result.status === 423;
        self.warning.textContent = result.body.message || self.msg.msgFailed;
        self.warning.hidden = false;
        self.say(result.body.message || self.msg.msgFailed, "error");
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
        self.warning.textContent = self.msg.msgFailed;
        self.warning.hidden = false;
        self.say(self.msg.msgFailed, "error");
      }
    });
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

  Autosave.prototype.showConflict = function (body) {
    var self = this;
    var panel = document.getElementById("conflict");
    var list = document.getElementById("conflict-fields");
    document.getElementById("conflict-intro").textContent = body.message;
    list.textContent = "";
    body.fields.forEach(function (f) {
      var block = document.createElement("div");
      block.className = "conflict-field";
      block.dataset.name = f.name;
      var title = document.createElement("h4");
      title.textContent = f.label;
      block.appendChild(title);
      var versions = document.createElement("div");
      versions.className = "versions";
      [[self.msg.msgYours, f.yours], [body.saved_by + " · " + body.saved_at, f.theirs]].forEach(function (pair) {
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
      block.appendChild(versions);
      var actions = document.createElement("p");
      actions.className = "actions";
      function button(label, name, handler) {
        var b = document.createElement("button");
        b.type = "button";
        b.className = "secondary";
        b.dataset.action = name;
        b.textContent = label;
        var hidden = document.createElement("span");
        hidden.className = "visually-hidden";
        hidden.textContent = " — " + f.label;
        b.appendChild(hidden);
        b.addEventListener("click", function () { handler(); self.resolved(block, panel, body.version); });
        actions.appendChild(b);
      }
      var field = f.rows ? null : self.form.querySelector('[name="' + CSS.escape(f.name) + '"]');
      button(self.msg.msgKeepMine, "mine", function () {
        var key = field ? self.groupOf(field) : "g:" + f.name;
        self.dirty[key] = ++self.generation;
      });
      button(self.msg.msgKeepTheirs, "theirs", function () {
        if (!field) { self.stopped = true; window.location.reload(); return; }
        if (field.type === "checkbox") field.checked = f.theirs_raw === "on";
        else field.value = f.theirs_raw;
        field.dispatchEvent(new Event("input"));
        delete self.dirty[self.groupOf(field)];
      });
      if (field && field.type !== "checkbox" && field.tagName !== "SELECT") {
        button(self.msg.msgMerge, "merge", function () {
          var joiner = field.tagName === "TEXTAREA" ? "\n\n" : " ";
          field.value = f.theirs_raw + joiner + f.yours;
          field.dispatchEvent(new Event("input"));
          self.say(self.msg.msgMerged, "merged");
          field.focus();
        });
      }
      block.appendChild(actions);
      list.appendChild(block);
    });
    panel.hidden = false;
    panel.focus();
  };

  Autosave.prototype.resolved = function (block, panel, version) {
    // Once chosen, the next save goes through: it is made against the version just seen.
    this.version.value = version;
    block.remove();
    if (!document.querySelector("#conflict-fields .conflict-field")) panel.hidden = true;
    if (this.pending()) this.schedule(300);
  };

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("wizard-form");
    var status = document.getElementById("autosave-status");
    if (status) setupCounters(document, { counter: status.dataset.msgCounter, over: status.dataset.msgOver });
    if (form && form.dataset.autosaveUrl && window.fetch) {
      window.guichetAutosave = new Autosave(form);
    }
  });
})();
