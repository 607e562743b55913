// Which Host and Origin headers a request may carry, on HTTP and on the websocket upgrade. A
// DNS-rebinding page reaches a server on loopback under its own name (`Host: evil.example`), and
// a page of another origin can open a websocket with a token it got hold of: both are refused.
// IP literals and `localhost` are always fine as a Host (a page cannot rebind a name to them and
// keep its own origin); other names must be configured. A request with an Origin (a browser's)
// must come from the origin it is sent to, or from one configured.
import { isIP } from 'node:net';
import { SitrepError } from '@sitrep/shared';

export interface OriginConfig {
  /** The bound address: a name here is allowed as a Host. */
  bindHost: string;
  /** More names for the Host header; `.example.com` allows its subdomains, `*` any name. */
  allowedHosts: readonly string[];
  /** Origins allowed besides the request's own (`https://ops.example.com`), or `*`. */
  allowedOrigins: readonly string[];
}

/** The hostname of a Host header (`[::1]:8787` → `::1`), lower case, or null if it is not one. */
function hostnameOf(host: string): string | null {
  if (/[^A-Za-z0-9.:[\]_-]/.test(host)) return null;
  try {
    return new URL(`http://${host}`).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return null;
  }
}

export class OriginPolicy {
  private readonly names: Set<string>;
  private readonly suffixes: string[];
  private readonly anyHost: boolean;
  private readonly origins: Set<string>;
  private readonly anyOrigin: boolean;

  constructor(config: OriginConfig) {
    const names = [...config.allowedHosts.map((h) => h.toLowerCase()), 'localhost'];
    if (isIP(config.bindHost) === 0) names.push(config.bindHost.toLowerCase());
    this.anyHost = names.includes('*');
    this.suffixes = names.filter((n) => n.startsWith('.'));
    this.names = new Set(names.filter((n) => !n.startsWith('.')));
    this.anyOrigin = config.allowedOrigins.includes('*');
    this.origins = new Set(config.allowedOrigins.map((o) => o.toLowerCase().replace(/\/$/, '')));
  }

  /** Throws request.host unless the Host header names this server. */
  checkHost(host: string | undefined): void {
    const name = host ? hostnameOf(host) : null;
    if (
      name !== null &&
      (this.anyHost ||
        isIP(name) !== 0 ||
        this.names.has(name) ||
        this.suffixes.some((s) => name.endsWith(s)))
    )
      return;
    throw new SitrepError(
      'request.host',
      `the Host header ${JSON.stringify(host ?? '')} is not a name of this server (SITREP_ALLOWED_HOSTS)`,
    );
  }

  /** Throws request.origin when a browser sends the request from another origin than its own. */
  checkOrigin(origin: string | undefined, host: string | undefined): void {
    if (origin === undefined || this.anyOrigin) return;
    const normal = origin.toLowerCase();
    let sameHost = false;
    try {
      sameHost = host !== undefined && new URL(normal).host === host.toLowerCase();
    } catch {
      // `null` (a sandboxed frame, a file) or garbage: not the server's origin.
    }
    if (sameHost || this.origins.has(normal)) return;
    throw new SitrepError(
      'request.origin',
      `requests from ${JSON.stringify(origin)} are refused (SITREP_ALLOWED_ORIGINS)`,
    );
  }
}
