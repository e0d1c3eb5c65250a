// The service's version, from package.json: GET /, /health and the OpenAPI document report it.
import pkg from "../package.json" with { type: "json" };

export const VERSION: string = pkg.version;
