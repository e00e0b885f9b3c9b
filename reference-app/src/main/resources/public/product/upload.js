// Sends the file chosen in #upload-form as JSON (base64) with the CSRF token header; no inline script (CSP).
(function () {
  var form = document.getElementById('upload-form');
  if (!form) return;
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var input = form.querySelector('input[type=file]');
    var status = document.getElementById('upload-status');
    if (!input.files.length) { status.textContent = 'Choose a file first.'; return; }
    var file = input.files[0];
    var reader = new FileReader();
    reader.onload = function () {
      var b64 = String(reader.result).split(',')[1] || '';
      fetch(form.dataset.upload, {
        method: 'POST', credentials: 'same-origin',
        headers: {'Content-Type': 'application/json', 'X-CSRF-Token': form.dataset.csrf},
        body: JSON.stringify({subjectType: form.dataset.subjectType, subjectId: form.dataset.subjectId,
          name: file.name, contentType: file.type || 'application/octet-stream', content: b64})
      }).then(function (r) { return r.json().then(function (j) { return {ok: r.ok, j: j}; }); })
        .then(function (x) {
          if (x.ok) { window.location.reload(); } else { status.textContent = x.j.message || 'Upload refused.'; }
        }).catch(function () { status.textContent = 'Upload failed.'; });
    };
    reader.readAsDataURL(file);
  });
})();
