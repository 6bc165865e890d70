// Swagger UI for the Lantu API (/api/v1/docs). The library comes from the fastapi-offline
// package; this start-up code is a file because the Content-Security-Policy forbids inline
// scripts. Requests omit cookies: "Try it out" uses the bearer token given under "Authorize".
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.ui = window.SwaggerUIBundle({
    url: root.getAttribute("data-openapi"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,          // no badge fetched from an outside validator
    persistAuthorization: false, // the token is not kept in the browser's storage
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    requestInterceptor: function (req) { req.credentials = "omit"; return req; }
  });
  // Swagger UI's own buttons and headings in the page's language: [[English, said], ...] from
  // the server (the locale files' apidoc.ui.*); a text node or button value that is exactly one
  // of them is replaced as Swagger UI draws it
  var words = {};
  JSON.parse(root.getAttribute("data-words") || "[]").forEach(function (p) { words[p[0]] = p[1]; });
  if (!Object.keys(words).length) return;
  // phrases around a value (a schema's constraints: "[1, 200] characters", "matches ^…$"):
  // [[English template, said template], ...] with {x} for the value
  var patterns = JSON.parse(root.getAttribute("data-patterns") || "[]").map(function (p) {
    var parts = p[0].split("{x}").map(function (s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
    return [new RegExp("^" + parts.join("(.+)") + "$"), p[1]];
  });
  function said(text) {
    if (words.hasOwnProperty(text)) return words[text];
    for (var i = 0; i < patterns.length; i++) {
      var m = patterns[i][0].exec(text);
      if (m) return patterns[i][1].split("{x}").join(m[1]);
    }
    return null;
  }
  function sayText(node) {
    var walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT), n;
    while ((n = walker.nextNode())) {
      var text = n.nodeValue.trim(), word = text && said(text);
      if (word !== null && word !== text && !n.parentElement.closest("code, pre, textarea, input")) {
        n.nodeValue = n.nodeValue.replace(text, word);
      }
    }
  }
  // two words are not a text node of their own: "required" is Swagger UI's CSS (content of
  // .parameter__name.required::after; lantu.css reads --apidoc-required) and "Controls Accept
  // header." is split around a <code>; the element's whole text is said instead
  if (words.hasOwnProperty("required")) {
    root.style.setProperty("--apidoc-required", JSON.stringify(words.required));
  }
  var WHOLE = ".response-control-media-type__accept-message";
  function sayWhole(node) {
    var found = Array.prototype.slice.call(node.querySelectorAll(WHOLE));
    if (node.matches(WHOLE)) found.push(node);
    found.forEach(function (el) {
      var text = el.textContent.trim();
      if (words.hasOwnProperty(text)) el.textContent = words[text];
    });
  }
  function say(node) { sayText(node); sayWhole(node); }
  say(root);
  new MutationObserver(function (changes) {
    changes.forEach(function (c) {
      c.addedNodes.forEach(function (a) {
        if (a.nodeType === 1) say(a);
        else if (a.nodeType === 3 && a.parentNode) say(a.parentNode);
      });
      if (c.type === "characterData" && c.target.parentNode) say(c.target.parentNode);
    });
  }).observe(root, {childList: true, subtree: true, characterData: true});
})();
