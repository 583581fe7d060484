import { isIP } from "node:net";

/**
 * DNS-rebinding defence for the local HTTP servers: is `hostHeader` (the request's `Host`, or `:authority` on
 * HTTP/2) a name this server may be addressed by? A rebinding attack reaches a loopback server through the
 * attacker's own DNS name, so that name is what the browser sends as `Host`. Accepted: IP literals (127.0.0.1,
 * [::1], a LAN address — never the result of rebinding), `localhost` and `*.localhost`, the address the server
 * is bound to, and any `extraHosts`. The port is not checked (an SSH or container port forward changes it, and
 * an attacker cannot pick a name through the port). A missing or malformed header is refused.
 */
export function isAllowedHost(
  hostHeader: string | undefined,
  boundHost: string,
  extraHosts: readonly string[] = [],
): boolean {
  if (hostHeader === undefined) return false;
  const hostname = hostnameOf(hostHeader);
  if (hostname === undefined) return false;
  if (isIP(hostname) !== 0) return true;
  if (hostname === "localhost" || hostname.endsWith(".localhost")) return true;
  const bound = boundHost.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  return hostname === bound || extraHosts.some((h) => h.toLowerCase() === hostname);
}

/** The lower-case hostname of a `Host` header (`[::1]:9090` → `::1`, `Example.com.:80` → `example.com`). */
export function hostnameOf(hostHeader: string): string | undefined {
  const text = hostHeader.trim().toLowerCase();
  const bracketed = /^\[([0-9a-f:.]+)\](?::(\d{1,5}))?$/.exec(text);
  if (bracketed) return isIP(bracketed[1]!) === 6 ? bracketed[1] : undefined;
  const plain = /^([a-z0-9._-]+)(?::(\d{1,5}))?$/.exec(text);
  if (!plain) return undefined;
  return plain[1]!.replace(/\.$/, "");
}

/** The body of the 421 answer to a refused `Host`. */
export function refusedHostText(hostHeader: string | undefined): string {
  return (
    `refused: Host ${JSON.stringify(hostHeader ?? "")} is not an address of this server ` +
    "(only IP addresses, localhost and the bound name are accepted; this protects against DNS rebinding)\n"
  );
}
