// A running batch's page: the progress as the server sends it (server-sent events);
// when the batch stops, the page is loaded again to show its files. Without this file
// the page refreshes itself every few seconds.
(function () {
  "use strict";
  var section = document.getElementById("avancement");
  if (!section || !window.EventSource) { return; }
  var bar = document.getElementById("barre");
  var count = document.getElementById("compte");
  var labels = {queued: "en attente", running: "en cours", done: "fini",
                interrupted: "interrompu", failed: "arrêté sur une erreur"};
  var events = new EventSource(section.getAttribute("data-flux"));
  events.onmessage = function (event) {
    var p = JSON.parse(event.data);
    bar.value = p.percent;
    bar.textContent = p.percent + " %";
    var text = p.done + " ligne(s) sur " + p.total;
    if (p.rate && p.status === "running") {
      text += " · " + p.rate.toFixed(1).replace(".", ",") + " ligne(s) par seconde";
      if (p.left !== null) { text += " · reste environ " + p.left + " s"; }
    }
    count.textContent = "";
    var strong = document.createElement("strong");
    strong.textContent = p.percent + " %";
    count.appendChild(strong);
    count.appendChild(document.createTextNode(" · " + text));
    document.getElementById("etat").textContent = labels[p.status] || p.status;
    if (p.status !== "queued" && p.status !== "running") {
      events.close();
      window.location.reload();
    }
  };
  events.onerror = function () {  // the server went away: look again in a few seconds
    if (events.readyState === EventSource.CLOSED) {
      window.setTimeout(function () { window.location.reload(); }, 3000);
    }
  };
}());
