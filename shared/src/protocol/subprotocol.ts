// How a client opens sitrep's websocket with its token. `?token=` in the URL (what a stock
// provider's `params` option sends) works, but URLs end up in proxy logs, browser history and the
// stock provider's own warnings, which print the URL. sitrep's clients send the token as a
// subprotocol instead, offered beside `sitrep`, the one the server selects: the token is never
// echoed back, and the URL holds none.
export const WS_PROTOCOL = 'sitrep';

/** The subprotocols that carry `token`: `new WebsocketProvider(url, id, doc, { protocols: tokenProtocols(token) })`. */
export function tokenProtocols(token: string): string[] {
  return [WS_PROTOCOL, token];
}

/** The token among offered subprotocols (a `Sec-WebSocket-Protocol` header), or null. */
export function tokenFromProtocols(header: string | undefined): string | null {
  const offered = (header ?? '').split(',').map((p) => p.trim());
  return offered.find((p) => p !== '' && p !== WS_PROTOCOL) ?? null;
}
