// « Adapter cette leçon »: each change is checked on the server as it is typed (after a
// short pause); the problems appear next to their fields, the minutes add up live, and
// the draft is kept. Without this file, « Vérifier » does the same with a page load.
(function () {
  "use strict";
  var form = document.getElementById("editeur");
  if (!form || !window.fetch) { return; }
  var timer = null;
  var version = form.elements.version;

  function fields() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && el.name !== "csrf" && el.name !== "version" && el.name !== "action") {
        data[el.name] = el.value;
      }
    });
    return data;
  }

  function show(problems) {
    Array.prototype.forEach.call(form.querySelectorAll("[data-champ]"), function (p) {
      var found = problems[p.getAttribute("data-champ")];
      p.textContent = found ? found.join(" ; ") : "";
      p.hidden = !found;
    });
  }

  function total(minutes) {
    var box = document.getElementById("total");
    box.textContent = "";
    box.appendChild(document.createTextNode("Les activités font "));
    var strong = document.createElement("strong");
    strong.textContent = minutes;
    box.appendChild(strong);
    box.appendChild(document.createTextNode(" minutes, marges comprises."));
  }

  function check() {
    fetch(form.getAttribute("data-verifier"), {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({version: parseInt(version.value, 10), fields: fields()})
    }).then(function (response) {
      return response.json().then(function (body) { return {status: response.status, body: body}; });
    }).then(function (r) {
      if (r.status === 409) { show({general: [r.body.error]}); return; }
      if (r.status !== 200) { return; }
      version.value = r.body.version;
      show(r.body.problems);
      total(r.body.minutes);
      if (Object.keys(r.body.problems).length === 0) {
        var picture = document.getElementById("apercu");
        picture.src = picture.src.split("?")[0] + "?v=" + r.body.version;
      }
    });
  }

  form.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, 400);
  });
}());
