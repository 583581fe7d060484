import { cors } from "@connectrpc/connect";

/**
 * The CORS allow-list of the proxy: exact origins (`http://127.0.0.1:9876`) or patterns with a port wildcard
 * (`http://localhost:*`). Browsers send `Origin`; requests without one (SDKs, curl) are not cross-origin.
 */
export class CorsPolicy {
  private readonly exact = new Set<string>();
  private readonly anyPort: string[] = [];

  constructor(origins: readonly string[]) {
    for (const o of origins) {
      if (o.endsWith(":*")) this.anyPort.push(o.slice(0, -2).toLowerCase());
      else this.exact.add(o.replace(/\/$/, "").toLowerCase());
    }
  }

  allows(origin: string): boolean {
    const o = origin.toLowerCase();
    if (this.exact.has(o)) return true;
    return this.anyPort.some(
      (base) => o === base || (o.startsWith(`${base}:`) && /^\d+$/.test(o.slice(base.length + 1))),
    );
  }

  /** Headers for a preflight answer (the requested headers are echoed: the origin is trusted). */
  preflightHeaders(origin: string, requestedHeaders: string | undefined): Record<string, string> {
    const allowed = new Set(cors.allowedHeaders.map((h) => h.toLowerCase()));
    for (const h of (requestedHeaders ?? "").split(",")) if (h.trim()) allowed.add(h.trim().toLowerCase());
    return {
      "access-control-allow-origin": origin,
      "access-control-allow-methods": [...cors.allowedMethods, "OPTIONS"].join(", "),
      "access-control-allow-headers": [...allowed].join(", "),
      "access-control-max-age": "7200",
      vary: "Origin, Access-Control-Request-Headers",
    };
  }

  responseHeaders(origin: string): Record<string, string> {
    return {
      "access-control-allow-origin": origin,
      "access-control-expose-headers": cors.exposedHeaders.join(", "),
      vary: "Origin",
    };
  }
}
