import { describe, expect, it } from 'vitest';
import { mrkdwnLink, mrkdwnText, plainText, shortSha, singleLine, slackUrl } from '../../src/core/slack-announcement/slack-mrkdwn.js';

describe('mrkdwnText', () => {
  it.each([
    ['plain', 'Fix the basket', 100, 'Fix the basket'],
    ['escapes', 'a & b < c > d', 100, 'a &amp; b &lt; c &gt; d'],
    ['mention', '<!here>', 100, '&lt;!here&gt;'],
    ['bare broadcast', '@channel @HERE @everyone @channels', 100, '@\u200Bchannel @\u200BHERE @\u200Beveryone @channels'],
    ['control characters', 'a\u0000b\u0007c\u202Ed\u2028e', 100, 'a b c d e'],
    ['whitespace runs', '  a \n\n\t b  ', 100, 'a b'],
    ['exact fit', 'abcde', 5, 'abcde'],
    ['cut', 'abcdefgh', 5, 'abcd…'],
    ['cut before an entity', 'abc<<<<', 6, 'abc…'],
    ['entity fits exactly', 'ab<cd', 8, 'ab&lt;cd'],
    ['entity kept whole', 'ab<cd', 7, 'ab&lt;…'],
    ['entity dropped whole', 'ab<cd', 6, 'ab…'],
    ['surrogate pair kept whole', 'ab😀😀😀', 5, 'ab😀…'],
    ['no room at all', '<<<', 0, ''],
  ])('%s', (_name, raw, max, expected) => {
    const out = mrkdwnText(raw, max);
    expect(out).toBe(expected);
    expect(out.length).toBeLessThanOrEqual(max);
  });

  it('never exceeds the limit nor cuts an entity, for any cut point', () => {
    const raw = 'x<&>y😀<!channel>&amp;'.repeat(5);
    for (let max = 0; max <= 200; max += 1) {
      const out = mrkdwnText(raw, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out).not.toMatch(/&(?!amp;|lt;|gt;)/);
      expect(out).not.toMatch(/[<>]/);
      expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    }
  });
});

describe('plainText', () => {
  it.each([
    ['drops markup characters', 'a <b> & c', 100, 'a b c'],
    ['defangs broadcasts', '@here now', 100, '@\u200Bhere now'],
    ['truncates', 'abcdefgh', 5, 'abcd…'],
  ])('%s', (_name, raw, max, expected) => {
    expect(plainText(raw, max)).toBe(expected);
  });
});

describe('slackUrl and mrkdwnLink', () => {
  it.each([
    ['https', 'https://example.com/a?b=1&c=2', 'https://example.com/a?b=1&amp;c=2'],
    ['http', 'http://jira.local/browse/A-1', 'http://jira.local/browse/A-1'],
    ['pipe and angle brackets', 'https://x.test/a|b<c>', 'https://x.test/a%7Cb%3Cc%3E'],
    ['javascript', 'javascript:alert(1)', null],
    ['mailto', 'mailto:a@b.c', null],
    ['not a URL', 'not a url', null],
    ['empty', '', null],
    ['null', null, null],
  ])('%s', (_name, raw, expected) => {
    expect(slackUrl(raw)).toBe(expected);
  });

  it('falls back to the label without a usable URL', () => {
    expect(mrkdwnLink('https://a.test/', 'A')).toBe('<https://a.test/|A>');
    expect(mrkdwnLink('ftp://a.test/', 'A')).toBe('A');
  });
});

describe('singleLine and shortSha', () => {
  it('collapses', () => {
    expect(singleLine(' a\r\n b\u2029c ')).toBe('a b c');
  });
  it.each([
    ['2222222BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB', '2222222'],
    ['abc', 'abc'],
    ['not-a-sha <x>\nmore', 'not-a-sha <x'],
  ])('shortSha(%s)', (sha, expected) => {
    expect(shortSha(sha)).toBe(expected);
  });
});
