/** The escaping assertion every page test shares: the document carries no live markup from the data. */
import { expect } from 'vitest';

/** Every href and action value in the document. */
function linkTargets(page: string): string[] {
  return [...page.matchAll(/\s(?:href|action|src)="([^"]*)"/g)].map((m) => m[1] ?? '');
}

/** Asserts that the document carries no live markup from the data, only its escaped text. */
export function expectInert(page: string): void {
  expect(page).not.toMatch(/<script/i);
  expect(page).not.toMatch(/<img/i);
  expect(page).not.toMatch(/<svg/i);
  expect(page).not.toMatch(/<a href="javascript/i);
  for (const target of linkTargets(page)) {
    expect(target, `link target ${target}`).toMatch(/^(https?:\/\/|\/(?!\/)|#|\?)/);
  }
  // onerror/onload only ever appear inside escaped text.
  const handlers = page.match(/on(error|load|mouseover)=/gi) ?? [];
  const escaped = page.match(/(&lt;img src=x |&lt;svg )on(error|load)=/gi) ?? [];
  expect(handlers.length).toBe(escaped.length);
  // No attribute value was closed early by a quote from the data.
  expect(page).not.toMatch(/"\s*on\w+=/i);
}
