// The clinic console's only script: keeps the worklist current without a reload by asking the server for the rows
// every few seconds (the server renders them; an ETag makes an unchanged answer empty). No framework, no inline
// script (the page's Content-Security-Policy forbids it), nothing from the network but this console.
(function () {
  "use strict";
  var table = document.getElementById("worklist");
  if (!table || table.getAttribute("data-live") !== "1") return;
  var rows = document.getElementById("rows");
  var total = document.getElementById("total");
  var updated = document.getElementById("updated");
  var url = table.getAttribute("data-rows-url");
  var seconds = parseInt(table.getAttribute("data-poll-seconds"), 10) || 5;
  // The ETag of the rows the page was served with: an unchanged worklist is never re-rendered, so a row a clinician
  // is about to click is not swapped for an identical copy under the pointer.
  var etag = table.getAttribute("data-etag") || null;

  function poll() {
    var request = new XMLHttpRequest();
    request.open("GET", url);
    if (etag) request.setRequestHeader("If-None-Match", etag);
    request.onload = function () {
      if (request.status === 200) {
        etag = request.getResponseHeader("ETag");
        var known = {};
        Array.prototype.forEach.call(rows.querySelectorAll("tr[data-id]"), function (tr) { known[tr.getAttribute("data-id")] = true; });
        rows.innerHTML = request.responseText; // server-rendered, every value HTML-encoded
        Array.prototype.forEach.call(rows.querySelectorAll("tr[data-id]"), function (tr) {
          if (!known[tr.getAttribute("data-id")]) tr.classList.add("new");
        });
        if (total) total.textContent = request.getResponseHeader("X-Total") || total.textContent;
      } else if (request.status === 401 || request.status === 302) {
        window.location.reload();
        return;
      }
      if (request.status === 200 || request.status === 304) {
        updated.textContent = "· updated " + new Date().toLocaleTimeString();
        updated.classList.remove("offline");
      }
      schedule();
    };
    request.onerror = function () {
      updated.textContent = "· the box is not answering; retrying";
      updated.classList.add("offline");
      schedule();
    };
    request.send();
  }

  function schedule() { window.setTimeout(poll, seconds * 1000); }
  schedule();
})();
