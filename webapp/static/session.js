// Warns two minutes before the inactivity logout and lets the person stay. Without JavaScript the
// page's meta refresh still leads to the "session expired" page at the right time.
(function () {
  var body = document.body;
  var idle = parseInt(body.dataset.idleSeconds || "0", 10);
  if (!idle) { return; }
  var warning = document.getElementById("session-warning");
  var warnTimer, endTimer;
  function schedule() {
    clearTimeout(warnTimer); clearTimeout(endTimer);
    warning.hidden = true;
    warnTimer = setTimeout(function () { warning.hidden = false; document.getElementById("stay").focus(); }, (idle - 120) * 1000);
    endTimer = setTimeout(function () { window.location.assign(body.dataset.expired); }, idle * 1000);
  }
  document.getElementById("stay").addEventListener("click", function () {
    fetch(body.dataset.keepAlive, { method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": body.dataset.csrf } })
      .then(function (response) { if (response.ok) { schedule(); } else { window.location.assign(body.dataset.expired); } });
  });
  schedule();
})();
