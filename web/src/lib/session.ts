// The browser session: the token comes from a sign-in link (`/#token=…`) or the sign-in form and
// is kept in session storage, so it lasts as long as the tab and never lands in the URL bar.
const KEY = 'sitrep.token';

/** Takes a token from the location's hash (`#token=…`), stores it and returns the hash without it. */
export function takeTokenFromHash(hash: string, storage: Pick<Storage, 'setItem'>): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('token');
  if (!token) return null;
  storage.setItem(KEY, token);
  params.delete('token');
  return params.size ? `#${params}` : '';
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
