/** Assertions on built Slack messages: their visible text, and that they stay within every Slack limit. */
import { expect } from 'vitest';
import type { AnnouncementBlock, SlackMessage } from '../../src/core/slack-announcement/slack-blocks.js';
import { isWithinSlackLimits, measureSlackMessage, SLACK_MESSAGE_LIMITS } from '../../src/core/slack-announcement/slack-blocks.js';

export function allText(message: SlackMessage): string {
  return message.blocks
    .map((b: AnnouncementBlock) => {
      if (b.type === 'header' || b.type === 'section') return b.text.text;
      if (b.type === 'context') return b.elements.map((e) => e.text).join('\n');
      return '';
    })
    .join('\n');
}

export function sectionTexts(message: SlackMessage): string[] {
  return message.blocks.flatMap((b) => (b.type === 'section' ? [b.text.text] : []));
}

export function expectWithinLimits(message: SlackMessage): void {
  const m = measureSlackMessage(message);
  expect(m.blockCount).toBeLessThanOrEqual(SLACK_MESSAGE_LIMITS.maxBlocks);
  expect(m.longestSectionText).toBeLessThanOrEqual(SLACK_MESSAGE_LIMITS.maxSectionTextLength);
  expect(m.headerTextLength).toBeLessThanOrEqual(SLACK_MESSAGE_LIMITS.maxHeaderTextLength);
  expect(m.blocksJsonLength).toBeLessThanOrEqual(SLACK_MESSAGE_LIMITS.maxBlocksJsonLength);
  expect(m.fallbackTextLength).toBeLessThanOrEqual(SLACK_MESSAGE_LIMITS.maxFallbackTextLength);
  expect(isWithinSlackLimits(message)).toBe(true);
  for (const b of message.blocks) {
    if (b.type === 'section') {
      expect(b.text.verbatim).toBe(true);
      expect(b.text.text.length).toBeGreaterThan(0);
    }
  }
}
