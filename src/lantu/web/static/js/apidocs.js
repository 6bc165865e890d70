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
})();
