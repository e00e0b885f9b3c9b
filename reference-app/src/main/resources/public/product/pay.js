// Stripe Payment Element on the shared invoice page. Card details are entered in Stripe's iframe; this script
// only asks our server for a PaymentIntent client secret (POST with the CSRF token) and lets Stripe.js confirm.
(function () {
  var box = document.getElementById('payment');
  if (!box || typeof Stripe === 'undefined') return;
  var msg = document.getElementById('payment-message');
  var button = document.getElementById('pay-button');
  var stripe = Stripe(box.dataset.pk, {stripeAccount: box.dataset.account});
  fetch(box.dataset.intentUrl, {
    method: 'POST', credentials: 'same-origin',
    headers: {'Content-Type': 'application/json', 'X-CSRF-Token': box.dataset.csrf},
    body: JSON.stringify({t: box.dataset.token})
  }).then(function (r) { if (!r.ok) throw new Error('status ' + r.status); return r.json(); })
    .then(function (j) {
      var elements = stripe.elements({clientSecret: j.clientSecret});
      var payment = elements.create('payment');
      payment.mount('#payment-element');
      box.dataset.intent = j.paymentIntentId;
      button.disabled = false;
      button.addEventListener('click', function () {
        button.disabled = true;
        stripe.confirmPayment({elements: elements, confirmParams: {return_url: box.dataset['return']}})
          .then(function (res) { if (res && res.error) { msg.textContent = res.error.message; button.disabled = false; } });
      });
    }).catch(function () { msg.textContent = 'Online payment is not available right now.'; });
})();
