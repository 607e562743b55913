// Entry text as Markdown (markdown-it): raw HTML is off (written as text), images are off (an
// entry cannot make the dashboard fetch anything), and a link is a link only to an absolute
// http(s) URL, opened in a new tab that learns nothing of the dashboard. Table alignment comes
// out as classes: markdown-it writes it as a style attribute, which a strict CSP refuses.
// The dashboard loads this module when it first shows an entry: markdown-it is a third of the
// bundle, and the first screen does not need it.
import MarkdownIt from 'markdown-it';
import { segments } from './placeholders.js';
import { isWebUrl } from './webUrl.js';

const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
md.disable('image');
md.validateLink = isWebUrl;

md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  const token = tokens[idx];
  token?.attrSet('rel', 'noopener noreferrer');
  token?.attrSet('target', '_blank');
  return self.renderToken(tokens, idx, options);
};

md.core.ruler.push('align_classes', (state) => {
  for (const token of state.tokens) {
    if (token.type !== 'th_open' && token.type !== 'td_open') continue;
    const align = /text-align:(left|right|center)/.exec(String(token.attrGet('style') ?? ''))?.[1];
    token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'style');
    if (align) token.attrJoin('class', `align-${align}`);
  }
});

// What the sanitizer put in place of a secret or private datum is shown as a mark of its own.
md.renderer.rules.text = (tokens, idx) =>
  segments(tokens[idx]?.content ?? '')
    .map(({ text, placeholder: p }) => {
      const t = md.utils.escapeHtml(text);
      return p
        ? `<span class="placeholder placeholder-${p.kind}" title="${md.utils.escapeHtml(p.label)}">${t}</span>`
        : t;
    })
    .join('');

/** The HTML for an entry's Markdown text: safe to insert, nothing in it runs or loads. */
export function renderMarkdown(text: string): string {
  return md.render(text);
}
