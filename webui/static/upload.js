// Show upload progress: the form is sent with XMLHttpRequest; once the files are sent, the
// browser goes to the job's page (the server answers with a redirect there), or shows the
// upload page again with its error.
(function () {
  const form = document.getElementById("upload-form");
  const bar = document.getElementById("upload-progress");
  if (!form || !bar || !window.XMLHttpRequest) return;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const request = new XMLHttpRequest();
    const target = form.action || window.location.href;
    request.open("POST", target);
    bar.hidden = false;
    request.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) bar.value = Math.round((100 * e.loaded) / e.total);
    });
    request.addEventListener("load", function () {
      if (request.status === 200 && request.responseURL && request.responseURL !== target) {
        window.location.assign(request.responseURL);  // the job's page, with its own address
        return;
      }
      document.open();
      document.write(request.responseText);
      document.close();
    });
    request.send(new FormData(form));
  });
})();
