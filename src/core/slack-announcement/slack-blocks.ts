/**
 * The few Block Kit shapes the announcement uses, kept here so that the core does not depend on the Slack SDK.
 * They are structurally compatible with `KnownBlock` of @slack/types (checked where the poster sends them).
 */

export interface PlainTextObject {
  readonly type: 'plain_text';
  readonly text: string;
  readonly emoji?: boolean;
}

export interface MrkdwnTextObject {
  readonly type: 'mrkdwn';
  readonly text: string;
  /** True: Slack does not auto-link URLs, channel names or mentions in it. */
  readonly verbatim?: boolean;
}

export interface HeaderBlock {
  readonly type: 'header';
  readonly text: PlainTextObject;
}

export interface SectionBlock {
  readonly type: 'section';
  readonly text: MrkdwnTextObject;
}

export interface ContextBlock {
  readonly type: 'context';
  // Mutable array type on purpose: @slack/types declares `elements` as a mutable array.
  readonly elements: MrkdwnTextObject[];
}

export interface DividerBlock {
  readonly type: 'divider';
}

/** A link button (no interactivity needed: Slack opens the URL). */
export interface LinkButton {
  readonly type: 'button';
  readonly text: PlainTextObject;
  readonly url: string;
  readonly action_id: string;
}

export interface ActionsBlock {
  readonly type: 'actions';
  readonly elements: LinkButton[];
}

export type AnnouncementBlock = HeaderBlock | SectionBlock | ContextBlock | DividerBlock | ActionsBlock;

export interface SlackMessage {
  /** Fallback and notification text (mrkdwn, escaped). */
  readonly text: string;
  readonly blocks: readonly AnnouncementBlock[];
}

/** Limits the builder keeps to (Slack rejects or truncates beyond them). */
export const SLACK_MESSAGE_LIMITS = {
  maxBlocks: 50,
  maxSectionTextLength: 3000,
  maxHeaderTextLength: 150,
  maxContextElements: 10,
  /**
   * Budget for `JSON.stringify(blocks).length`. Slack answers `msg_blocks_too_long` from roughly 12–13k characters
   * of block text (an undocumented cumulative limit); counting the JSON, markup included, stays under it.
   */
  maxBlocksJsonLength: 12_000,
  maxFallbackTextLength: 3000,
} as const;

export interface SlackMessageMeasures {
  readonly blockCount: number;
  readonly longestSectionText: number;
  readonly headerTextLength: number;
  readonly maxContextElements: number;
  readonly blocksJsonLength: number;
  readonly fallbackTextLength: number;
}

export function measureSlackMessage(message: SlackMessage): SlackMessageMeasures {
  let longestSectionText = 0;
  let headerTextLength = 0;
  let maxContextElements = 0;
  for (const block of message.blocks) {
    if (block.type === 'section') longestSectionText = Math.max(longestSectionText, block.text.text.length);
    if (block.type === 'header') headerTextLength = Math.max(headerTextLength, block.text.text.length);
    if (block.type === 'actions') maxContextElements = Math.max(maxContextElements, block.elements.length);
    if (block.type === 'context') {
      maxContextElements = Math.max(maxContextElements, block.elements.length);
      for (const el of block.elements) longestSectionText = Math.max(longestSectionText, el.text.length);
    }
  }
  return {
    blockCount: message.blocks.length,
    longestSectionText,
    headerTextLength,
    maxContextElements,
    blocksJsonLength: JSON.stringify(message.blocks).length,
    fallbackTextLength: message.text.length,
  };
}

/** True when the message keeps every limit of SLACK_MESSAGE_LIMITS. */
export function isWithinSlackLimits(message: SlackMessage): boolean {
  const m = measureSlackMessage(message);
  const L = SLACK_MESSAGE_LIMITS;
  return (
    m.blockCount <= L.maxBlocks &&
    m.longestSectionText <= L.maxSectionTextLength &&
    m.headerTextLength <= L.maxHeaderTextLength &&
    m.maxContextElements <= L.maxContextElements &&
    m.blocksJsonLength <= L.maxBlocksJsonLength &&
    m.fallbackTextLength <= L.maxFallbackTextLength
  );
}
