// /docs: Swagger UI (vendored from npm, served by the project) reading the same /openapi.json.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.specUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null, // never ask an outside validator service
    tryItOutEnabled: false,
    persistAuthorization: false,
  });
});
