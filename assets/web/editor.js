// « Adapter cette leçon »: each change is checked on the server as it is typed (after a
// short pause); the problems appear next to their fields, the minutes add up live, the
// preview is drawn again and the draft is kept. The buttons (add, remove, move, save)
// stay plain form posts: this file only makes sure the last change is kept first.
// Without this file, « Vérifier » does the same with a page load.
(function () {
  "use strict";
  var form = document.getElementById("editeur");
  if (!form || !window.fetch) { return; }
  var timer = null;
  var pending = null;   // the check being sent, if any
  var version = form.elements.version;

  function fields() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && el.type !== "submit" && el.name !== "csrf" && el.name !== "version" &&
          el.name !== "remplacer") {
        data[el.name] = el.value;
      }
    });
    return data;
  }

  function show(problems) {
    var placed = {};
    Array.prototype.forEach.call(form.querySelectorAll("[data-champ]"), function (p) {
      var name = p.getAttribute("data-champ");
      var found = problems[name];
      placed[name] = true;
      p.textContent = found ? found.join(" ; ") : "";
      p.hidden = !found;
      var box = p.parentNode;
      if (box.classList.contains("champ")) { box.classList.toggle("en-erreur", !!found); }
      if (found) {
        var details = box.closest("details");
        if (details) { details.open = true; }
      }
    });
  }

  function text(id, before, number, after) {
    var box = document.getElementById(id);
    box.textContent = "";
    if (number === null) { return; }
    box.appendChild(document.createTextNode(before));
    var strong = document.createElement("strong");
    strong.textContent = number;
    box.appendChild(strong);
    box.appendChild(document.createTextNode(after));
  }

  function preview(pages) {
    var picture = document.getElementById("apercu");
    var link = document.getElementById("apercu-lien");
    var waiting = document.getElementById("apercu-attente");
    text("pages", "sur ", pages, "");
    link.hidden = !pages;
    document.getElementById("apercu-pdf").hidden = !pages;
    waiting.hidden = !!pages;
    if (pages) {
      picture.src = picture.src.split("?")[0] + "?v=" + version.value;
      link.href = picture.src;
    }
  }

  function check() {
    timer = null;
    pending = fetch(form.getAttribute("data-verifier"), {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({version: parseInt(version.value, 10), fields: fields()})
    }).then(function (response) {
      return response.json().then(function (body) { return {status: response.status, body: body}; });
    }).then(function (r) {
      pending = null;
      if (r.status === 409) { show({general: [r.body.error]}); return; }
      if (r.status !== 200) { return; }
      version.value = r.body.version;
      show(r.body.problems);
      text("total", "Les activités font ", r.body.minutes, " minutes, marges comprises.");
      preview(r.body.pages);
    }, function () { pending = null; });
    return pending;
  }

  form.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, 400);
  });
  form.addEventListener("change", function (event) {
    if (event.target.tagName === "SELECT") { window.clearTimeout(timer); check(); }
  });

  // A button pressed while a change is still to be sent: send it, then the button's post
  // with the version it gave, so this tab does not refuse its own form.
  form.addEventListener("submit", function (event) {
    if (timer === null && pending === null) { return; }
    event.preventDefault();
    var button = event.submitter;
    window.clearTimeout(timer);
    var sent = timer !== null ? check() : pending;
    timer = null;
    sent.then(function () {
      if (button && form.requestSubmit) { form.requestSubmit(button); } else { form.submit(); }
    });
  });
}());
