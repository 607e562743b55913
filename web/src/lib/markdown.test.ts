// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown.js';
import { isWebUrl } from './webUrl.js';

describe('markdown', () => {
  it('renders Markdown, with http(s) links that open apart and tell nothing of the dashboard', () => {
    const html = renderMarkdown(
      '**p99** rose, see [the dashboard](https://grafana.example.com/d/x) and https://status.example.com',
    );
    expect(html).toContain('<strong>p99</strong>');
    expect(html).toContain(
      '<a href="https://grafana.example.com/d/x" rel="noopener noreferrer" target="_blank">the dashboard</a>',
    );
    expect(html).toContain('<a href="https://status.example.com" rel="noopener noreferrer" target="_blank">');
  });

  it('marks what the sanitizer removed, and escapes the text around it', () => {
    const html = renderMarkdown('key **[REDACTED:aws-access-key]** of [email-3f9a2c] <b>');
    expect(html).toContain(
      '<strong><span class="placeholder placeholder-secret" title="secret removed ' +
        '(aws-access-key)">[REDACTED:aws-access-key]</span></strong>',
    );
    expect(html).toContain(
      'of <span class="placeholder placeholder-private" title="an e-mail address removed',
    );
    expect(html).toContain('&lt;b&gt;');
  });

  it('writes raw HTML as text and makes no link of other schemes or relative paths', () => {
    const hostile = [
      '<img src=x onerror="window.pwned=1">',
      '<script>window.pwned=1</script>',
      '[click](javascript:alert(1))',
      '[click](JaVaScRiPt:alert(1))',
      '[click](java&#x09;script:alert(1))',
      '<javascript:alert(1)>',
      '[data](data:text/html;base64,PHNjcmlwdD4=)',
      '[vb](vbscript:msgbox)',
      '[rel](/api/tokens)',
      '[proto](//evil.example.com)',
      '![pixel](https://tracker.example.com/p.gif)',
      '<a href="https://example.com" onclick="x()">a</a>',
    ].join('\n\n');
    const html = renderMarkdown(hostile);
    const doc = new DOMParser().parseFromString(html, 'text/html');
    expect(doc.querySelectorAll('img, script, iframe, object, embed')).toHaveLength(0);
    expect(
      [...doc.querySelectorAll('*')]
        .flatMap((el) => el.getAttributeNames())
        .filter((n) => n.startsWith('on')),
    ).toEqual([]);
    // The image becomes a plain link, and the URL inside the raw tag is linked as any URL in text.
    expect([...doc.querySelectorAll('a')].map((a) => a.getAttribute('href'))).toEqual([
      'https://tracker.example.com/p.gif',
      'https://example.com',
    ]);
    expect(doc.body.textContent).toContain('[click](javascript:alert(1))');
    expect(doc.body.textContent).toContain('<img src=x onerror="window.pwned=1">');
  });

  it('aligns table cells by class, not by a style attribute a strict CSP would refuse', () => {
    const html = renderMarkdown('| a | b |\n| :-- | --: |\n| 1 | 2 |');
    expect(html).not.toContain('style=');
    expect(html).toContain('<td class="align-right">2</td>');
  });

  it('takes only absolute http(s) URLs for links', () => {
    expect(isWebUrl('https://example.com/x')).toBe(true);
    expect(isWebUrl('HTTP://example.com')).toBe(true);
    for (const url of ['javascript:alert(1)', 'ftp://x', '/relative', 'mailto:a@b.c', 'https://', ''])
      expect(isWebUrl(url), url).toBe(false);
  });
});
