// The one rule for what the dashboard makes a link of in text that entries bring: an absolute
// http(s) URL. Nothing else (javascript:, data:, relative paths, mailto:) becomes a link.

export function isWebUrl(url: string): boolean {
  return /^https?:\/\/[^\s]/i.test(url);
}
