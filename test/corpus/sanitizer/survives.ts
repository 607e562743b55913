/** Whether any part of a secret or datum survived in `out`: the whole, or any 12 characters of it. */
export function survives(out: string, datum: string): boolean {
  if (out.includes(datum)) return true;
  for (let i = 0; i + 12 <= datum.length; i += 6) if (out.includes(datum.slice(i, i + 12))) return true;
  return false;
}
