// The browser session: the token comes from a sign-in link or the sign-in form and is kept in
// session storage, so it lasts as long as the tab and never stays in the URL bar. A sign-in link
// is `/#token=…`, and may carry the page to open: `/#/incidents/<id>/entries/<entryId>?token=…`
// (or `/#token=…&/incidents/…`); the token leaves the hash and the page stays.
const KEY = 'sitrep.token';

/** A `token=` parameter anywhere in the hash, with the separator before it. */
const TOKEN_PARAM = /(^|[?&])token=([^&#]*)/;

/** Takes a token from the location's hash, stores it and returns the hash without it. */
export function takeTokenFromHash(hash: string, storage: Pick<Storage, 'setItem'>): string | null {
  const body = hash.replace(/^#/, '');
  const m = TOKEN_PARAM.exec(body);
  if (!m) return null;
  let token: string;
  try {
    token = decodeURIComponent(m[2] ?? '');
  } catch {
    return null;
  }
  if (!token) return null;
  storage.setItem(KEY, token);
  const before = body.slice(0, m.index);
  const after = body.slice(m.index + m[0].length); // empty, or the next parameter with its '&'
  const rest = before ? `${before}${after}` : after.replace(/^&/, '');
  return rest ? `#${rest}` : '';
}

export function storedToken(storage: Pick<Storage, 'getItem'>): string | null {
  return storage.getItem(KEY);
}

export function saveToken(storage: Pick<Storage, 'setItem'>, token: string): void {
  storage.setItem(KEY, token.trim());
}

export function forgetToken(storage: Pick<Storage, 'removeItem'>): void {
  storage.removeItem(KEY);
}
