// Security keys (WebAuthn): runs navigator.credentials.create / get for the forms #key-add-form (settings) and
// #key-login-form (login's two-factor step). The server speaks base64url; the browser API wants ArrayBuffers.
// An external file, so the CSP stays "script-src 'self'" with no inline script.
(function () {
  function toBuffer(s) {
    s = String(s).replace(/-/g, '+').replace(/_/g, '/');
    while (s.length % 4) s += '=';
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out.buffer;
  }
  function toBase64url(buf) {
    var bytes = new Uint8Array(buf), s = '';
    for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }
  function post(url, csrf, body) {
    return fetch(url, {method: 'POST', credentials: 'same-origin',
      headers: {'Content-Type': 'application/json', 'X-CSRF-Token': csrf}, body: JSON.stringify(body || {})})
      .then(function (r) {
        return r.text().then(function (t) {
          var j = {};
          try { j = t ? JSON.parse(t) : {}; } catch (e) { j = {}; }
          return {ok: r.ok, status: r.status, j: j};
        });
      });
  }
  function ids(list) {
    (list || []).forEach(function (c) { c.id = toBuffer(c.id); });
    return list;
  }
  // The PublicKeyCredential as the JSON the server parses (WebAuthn Level 3 toJSON shape).
  function credentialJson(c) {
    var r = c.response;
    var out = {id: c.id, rawId: toBase64url(c.rawId), type: c.type,
      clientExtensionResults: c.getClientExtensionResults ? c.getClientExtensionResults() : {},
      response: {clientDataJSON: toBase64url(r.clientDataJSON)}};
    if (r.attestationObject) {
      out.response.attestationObject = toBase64url(r.attestationObject);
      out.response.transports = r.getTransports ? r.getTransports() : [];
    }
    if (r.authenticatorData) {
      out.response.authenticatorData = toBase64url(r.authenticatorData);
      out.response.signature = toBase64url(r.signature);
      if (r.userHandle) out.response.userHandle = toBase64url(r.userHandle);
    }
    return JSON.stringify(out);
  }
  function run(form, browserCall, extraBody, onRefused) {
    var status = form.querySelector('[role=status]');
    var button = form.querySelector('button');
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      if (!window.PublicKeyCredential || !navigator.credentials) { status.textContent = 'This browser does not support security keys.'; return; }
      button.disabled = true;
      status.textContent = 'Touch your security key…';
      post(form.dataset.start, form.dataset.csrf).then(function (x) {
        if (!x.ok) throw x;
        return browserCall(x.j);
      }).then(function (credential) {
        var body = extraBody();
        body.credential = credentialJson(credential);
        return post(form.dataset.finish, form.dataset.csrf, body);
      }).then(function (x) {
        if (!x.ok) throw x;
        status.textContent = 'Done.';
        window.location.assign(form.dataset.done);
      }).catch(function (x) {
        button.disabled = false;
        if (x && x.j) {
          if (onRefused(x)) return;
          status.textContent = x.j.message || 'The security key was not accepted.';
        } else {
          status.textContent = 'The security key did not answer (' + ((x && x.name) || 'error') + '). Try again.';
        }
      });
    });
  }

  var add = document.getElementById('key-add-form');
  if (add) {
    run(add, function (o) {
      o.challenge = toBuffer(o.challenge);
      o.user.id = toBuffer(o.user.id);
      o.excludeCredentials = ids(o.excludeCredentials);
      return navigator.credentials.create({publicKey: o});
    }, function () {
      return {name: add.querySelector('input[name=name]').value};
    }, function (x) {
      if (x.j.error === 'reauthentication_required') { window.location.assign('/reauth?next=%2Faccount%2Fmfa'); return true; }
      return false;
    });
  }
  var login = document.getElementById('key-login-form');
  if (login) {
    run(login, function (o) {
      o.challenge = toBuffer(o.challenge);
      o.allowCredentials = ids(o.allowCredentials);
      return navigator.credentials.get({publicKey: o});
    }, function () {
      return {};
    }, function (x) {
      if (x.status === 401) { window.location.assign('/login'); return true; }
      return false;
    });
  }
})();
