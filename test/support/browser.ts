// The dashboard's browser tests: Debian's Chromium launched headless, and what they check on any
// screen: axe-core's serious and critical violations, and layout faults a reader would see
// (sideways scrolling, text cut or overlapping).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { type Browser, type Page, chromium } from 'playwright-core';
import { childEnv } from './childEnv.js';

const CHROMIUM = '/usr/bin/chromium';
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Headless Chromium for the dashboard tests (the built dashboard must be there). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(new URL('../../web/dist/index.html', import.meta.url)))
    throw new Error('web/dist is missing: run `pnpm build` (pnpm test does) before the dashboard tests');
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (scripts/prereqs.sh does)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    env: childEnv(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-features=LocalNetworkAccessChecks',
    ],
  });
}

/** axe-core's serious and critical violations on the page as it is (axe injected by the driver, not a script tag, so the CSP holds). */
export async function axeProblems(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(await readFile(AXE, 'utf8'));
  const violations = await page.evaluate(async () => {
    const { axe } = window as unknown as {
      axe: {
        run(): Promise<{
          violations: { id: string; impact: string; nodes: { target: string[]; failureSummary: string }[] }[];
        }>;
      };
    };
    return (await axe.run()).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) =>
      v.nodes.map(
        (n) => `${v.impact} ${v.id} at ${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`,
      ),
    );
}

/**
 * What a reader would see as broken: a page wider than the window, an element that ends outside
 * the window (unless a scrolling box holds it), text cut by its box (ellipsis previews aside),
 * and text boxes overlapping one another (a popup marked `data-overlay` covers the page under it).
 */
export function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width)
      out.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${[...el.classList].join('.')} "${el.textContent?.trim().slice(0, 30)}"`;
    const scroller = (el: Element) => {
      for (let a = el.parentElement; a; a = a.parentElement)
        if (/(auto|scroll)/.test(getComputedStyle(a).overflowX)) return a;
      return null;
    };
    const modal = document.querySelector('dialog[open]');
    /** The part of an element its clipping ancestors (scrolling boxes) let be seen. */
    const seen = (el: Element) => {
      let r = el.getBoundingClientRect();
      for (let a = el.parentElement; a; a = a.parentElement) {
        if (getComputedStyle(a).overflow === 'visible') continue;
        const c = a.getBoundingClientRect();
        const left = Math.max(r.left, c.left);
        const top = Math.max(r.top, c.top);
        r = new DOMRect(
          left,
          top,
          Math.max(0, Math.min(r.right, c.right) - left),
          Math.max(0, Math.min(r.bottom, c.bottom) - top),
        );
      }
      return r;
    };
    const visible = [...document.querySelectorAll('body *')].filter((el) => {
      if (modal && !modal.contains(el)) return false; // under a modal, only the dialog is seen
      // (a 1-pixel box is the visually-hidden pattern: there for screen readers only)
      const r = seen(el);
      return (
        r.width > 1 && r.height > 1 && !el.closest('.sr-only') && getComputedStyle(el).visibility !== 'hidden'
      );
    });
    for (const el of visible) {
      const r = el.getBoundingClientRect();
      if ((r.right > width + 1 || r.left < -1) && !scroller(el))
        out.push(`outside the window: ${name(el)} (${Math.round(r.left)}..${Math.round(r.right)})`);
      const s = getComputedStyle(el);
      if (
        s.overflowX === 'hidden' &&
        el.scrollWidth > el.clientWidth + 1 &&
        s.textOverflow !== 'ellipsis' &&
        !el.querySelector('[style*="text-overflow"]')
      ) {
        const ellipsed = [...el.querySelectorAll('*')].some(
          (c) => getComputedStyle(c).textOverflow === 'ellipsis',
        );
        if (!ellipsed) out.push(`cut: ${name(el)} (${el.scrollWidth} > ${el.clientWidth})`);
      }
    }
    const texts = visible.filter((el) =>
      [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim()),
    );
    // A popup floating over the page (marked data-overlay, like the search's list) covers what is
    // under it by design: only overlaps inside it, or outside every popup, are faults.
    const overlays = [...document.querySelectorAll('[data-overlay]')];
    const overlayOf = (el: Element) => overlays.find((o) => o.contains(el)) ?? null;
    const boxes = texts.map((el) => ({ el, r: seen(el), overlay: overlayOf(el) }));
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i] as (typeof boxes)[number];
        const b = boxes[j] as (typeof boxes)[number];
        if (a.el.contains(b.el) || b.el.contains(a.el) || a.overlay !== b.overlay) continue;
        const x = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
        const y = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
        if (x > 2 && y > 2) out.push(`overlap: ${name(a.el)} and ${name(b.el)}`);
      }
    }
    return out;
  });
}
