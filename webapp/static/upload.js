// Shows how far an upload has got. Without JavaScript the form posts as usual; with it, the same
// request goes through XMLHttpRequest, whose progress events drive the bar, and the answer (the
// vault or the form with its errors) replaces the page.
(function () {
  var form = document.querySelector("form[data-upload]");
  if (!form || !window.XMLHttpRequest || !window.FormData) { return; }
  var bar = document.getElementById("upload-progress");
  var status = document.getElementById("upload-status");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var request = new XMLHttpRequest();
    request.open("POST", form.getAttribute("action") || window.location.href);
    request.upload.addEventListener("progress", function (progress) {
      if (!progress.lengthComputable) { return; }
      var percent = Math.round(progress.loaded / progress.total * 100);
      bar.value = percent;
      status.textContent = status.dataset.sending.replace("%d", percent);
    });
    request.addEventListener("load", function () {
      document.open();
      document.write(request.responseText);
      document.close();
      history.replaceState(null, "", request.responseURL);
    });
    request.addEventListener("error", function () { form.submit(); });
    bar.hidden = false;
    form.querySelector("button[type=submit]").disabled = true;
    request.send(new FormData(form));
  });
})();
