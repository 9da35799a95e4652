// Show upload progress: the form is sent with XMLHttpRequest and the result page replaces this one.
(function () {
  const form = document.getElementById("upload-form");
  const bar = document.getElementById("upload-progress");
  if (!form || !bar || !window.XMLHttpRequest) return;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const request = new XMLHttpRequest();
    request.open("POST", form.action || window.location.href);
    bar.hidden = false;
    request.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) bar.value = Math.round((100 * e.loaded) / e.total);
    });
    request.addEventListener("load", function () {
      document.open();
      document.write(request.responseText);
      document.close();
    });
    request.send(new FormData(form));
  });
})();
