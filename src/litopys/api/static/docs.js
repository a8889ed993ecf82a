// The OpenAPI UI of /api/docs: Swagger UI over /api/openapi.json, all from this server (the page's
// Content-Security-Policy allows no inline script and no other origin).
"use strict";
(function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-openapi-url"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    // no call to the public validator service: everything stays on this server
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
})();
