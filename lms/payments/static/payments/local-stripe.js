// A stand-in for Stripe.js with Stripe's own calls, for a checkout without Stripe:
// - the end-to-end suite serves this file for https://js.stripe.com/** and answers its confirm call
//   to https://api.stripe.com by paying the intent at localstripe (frontend/e2e/fixtures.ts);
// - `make run` (LMS_LOCAL_CHECKOUT, development only) adds it to the app's page with
//   data-api="/api/payments/local-stripe", whose confirm pays the intent at localstripe
//   (lms/payments/apis.py, LocalStripeConfirmApi). Offline, the real Stripe.js cannot load.
// It implements only what the checkout uses: Stripe(key), stripe.elements({ clientSecret }),
// elements.create("payment").mount(node), which shows a labelled card number field, and
// stripe.confirmPayment({ elements, redirect: "if_required" }), which posts the card number to the
// confirm URL as Stripe.js would. localstripe then sends the app its signed webhook.
(function () {
  "use strict";
  const script = document.currentScript;
  const apiBase = (script && script.dataset.api) || "https://api.stripe.com";

  function Stripe(publishableKey) {
    let cardInput = null;

    function elements(options) {
      const group = {
        clientSecret: options && options.clientSecret,
        create(type) {
          if (type !== "payment") throw new Error(`The Stripe.js stand-in has no ${type} element.`);
          let wrapper = null;
          return {
            mount(target) {
              const node = typeof target === "string" ? document.querySelector(target) : target;
              wrapper = document.createElement("div");
              const label = document.createElement("label");
              label.htmlFor = "stand-in-card-number";
              label.textContent = "Card number";
              cardInput = document.createElement("input");
              cardInput.id = "stand-in-card-number";
              cardInput.inputMode = "numeric";
              cardInput.autocomplete = "cc-number";
              wrapper.append(label, cardInput);
              node.append(wrapper);
            },
            on() {},
            off() {},
            update() {},
            destroy() {
              if (wrapper) wrapper.remove();
            },
          };
        },
        getElement() {
          return null;
        },
        update() {},
        submit() {
          return Promise.resolve({});
        },
      };
      return group;
    }

    async function confirmPayment({ elements: group }) {
      const secret = group.clientSecret;
      const intentId = secret.split("_secret_")[0];
      const body = new URLSearchParams({
        "payment_method_data[type]": "card",
        "payment_method_data[card][number]": cardInput ? cardInput.value.replace(/\s+/g, "") : "",
        client_secret: secret,
        key: publishableKey,
      });
      const response = await fetch(`${apiBase}/v1/payment_intents/${intentId}/confirm`, {
        method: "POST",
        body,
      });
      const answer = await response.json();
      return response.ok ? { paymentIntent: answer } : { error: answer.error };
    }

    function unsupported(name) {
      return () => Promise.reject(new Error(`The Stripe.js stand-in does not implement ${name}.`));
    }

    return {
      elements,
      confirmPayment,
      // react-stripe-js recognises a Stripe object by these methods; the checkout never calls them.
      createToken: unsupported("createToken"),
      createPaymentMethod: unsupported("createPaymentMethod"),
      confirmCardPayment: unsupported("confirmCardPayment"),
    };
  }

  // The release of Stripe.js that @stripe/stripe-js 10 expects (it warns about any other).
  Stripe.version = "endive";
  window.Stripe = Stripe;
})();
