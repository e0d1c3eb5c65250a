// The interactive API reference at /docs: Scalar's standalone bundle, pinned
// to one version and checked by Subresource Integrity, under a Content-
// Security-Policy that lets nothing else run. This origin's localStorage holds
// students' session ids; a script that changed on the CDN could read them.
import type { Context } from "hono";
import type { AppEnv } from "./app-env";

// The SHA-384 of dist/browser/standalone.js in the npm package
// @scalar/api-reference@1.76.0 (`npm pack`), which jsDelivr serves unchanged.
// To update: pick the version, pack it, and replace both.
const SCALAR_BUNDLE = "https://cdn.jsdelivr.net/npm/@scalar/api-reference@1.76.0/dist/browser/standalone.js";
const SCALAR_INTEGRITY = "sha384-oH1C0RwqcwbVXkC+r8A+4qRoyEUQdtxAzOwumkxZtQBBcsy61FOoPt7B50OVJYYQ";

const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `script-src ${SCALAR_BUNDLE}`,
  // Scalar injects its styles at run time.
  "style-src 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

// The configuration rides on a data block, so no inline script is needed;
// default fonts would come from yet another host.
const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Tanya Ma'il API</title>
  </head>
  <body>
    <script id="api-reference" type="application/json" data-url="/openapi.json" data-configuration="{&quot;withDefaultFonts&quot;:false}"></script>
    <script src="${SCALAR_BUNDLE}" integrity="${SCALAR_INTEGRITY}" crossorigin="anonymous"></script>
  </body>
</html>
`;

export function apiDocs(c: Context<AppEnv>): Response {
  return c.html(PAGE, 200, { "content-security-policy": CONTENT_SECURITY_POLICY });
}
