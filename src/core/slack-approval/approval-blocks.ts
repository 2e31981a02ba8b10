/**
 * The Block Kit shapes of the deploy approval request: the announcement's blocks plus interactive buttons (with a
 * `value`, a `style` and an optional confirm dialog). Kept here so that the core does not depend on the Slack SDK;
 * structurally compatible with `KnownBlock` of @slack/types (checked where the poster sends them).
 */
import type { ContextBlock, DividerBlock, HeaderBlock, LinkButton, PlainTextObject, SectionBlock } from '../slack-announcement/slack-blocks.js';
import { SLACK_MESSAGE_LIMITS } from '../slack-announcement/slack-blocks.js';

export const APPROVE_ACTION_ID = 'deploy_approval_approve';
export const REJECT_ACTION_ID = 'deploy_approval_reject';

export interface ConfirmDialog {
  readonly title: PlainTextObject;
  readonly text: PlainTextObject;
  readonly confirm: PlainTextObject;
  readonly deny: PlainTextObject;
  readonly style?: 'primary' | 'danger';
}

/** A button that Slack reports to POST /slack/interactions, carrying `value`. */
export interface ActionButton {
  readonly type: 'button';
  readonly text: PlainTextObject;
  readonly action_id: string;
  readonly value: string;
  readonly style?: 'primary' | 'danger';
  readonly confirm?: ConfirmDialog;
}

export interface ApprovalActionsBlock {
  readonly type: 'actions';
  readonly elements: (LinkButton | ActionButton)[];
}

export type ApprovalBlock = HeaderBlock | SectionBlock | ContextBlock | DividerBlock | ApprovalActionsBlock;

export interface ApprovalMessage {
  /** Fallback and notification text (mrkdwn, escaped). */
  readonly text: string;
  readonly blocks: readonly ApprovalBlock[];
}

/** The announcement's limits plus those of buttons and confirm dialogs. */
export const APPROVAL_MESSAGE_LIMITS = {
  ...SLACK_MESSAGE_LIMITS,
  maxButtonTextLength: 75,
  maxButtonValueLength: 2000,
  maxActionElements: 25,
  maxConfirmTitleLength: 100,
  maxConfirmTextLength: 300,
  maxConfirmButtonTextLength: 30,
} as const;

export interface ApprovalMessageMeasures {
  readonly blockCount: number;
  readonly longestSectionText: number;
  readonly headerTextLength: number;
  readonly maxContextElements: number;
  readonly maxActionElements: number;
  readonly longestButtonText: number;
  readonly longestButtonValue: number;
  readonly longestConfirmTitle: number;
  readonly longestConfirmText: number;
  readonly longestConfirmButtonText: number;
  readonly blocksJsonLength: number;
  readonly fallbackTextLength: number;
}

export function measureApprovalMessage(message: ApprovalMessage): ApprovalMessageMeasures {
  const m = {
    longestSectionText: 0,
    headerTextLength: 0,
    maxContextElements: 0,
    maxActionElements: 0,
    longestButtonText: 0,
    longestButtonValue: 0,
    longestConfirmTitle: 0,
    longestConfirmText: 0,
    longestConfirmButtonText: 0,
  };
  for (const block of message.blocks) {
    if (block.type === 'section') m.longestSectionText = Math.max(m.longestSectionText, block.text.text.length);
    if (block.type === 'header') m.headerTextLength = Math.max(m.headerTextLength, block.text.text.length);
    if (block.type === 'context') {
      m.maxContextElements = Math.max(m.maxContextElements, block.elements.length);
      for (const el of block.elements) m.longestSectionText = Math.max(m.longestSectionText, el.text.length);
    }
    if (block.type === 'actions') {
      m.maxActionElements = Math.max(m.maxActionElements, block.elements.length);
      for (const button of block.elements) {
        m.longestButtonText = Math.max(m.longestButtonText, button.text.text.length);
        if ('value' in button) {
          m.longestButtonValue = Math.max(m.longestButtonValue, button.value.length);
          if (button.confirm) {
            m.longestConfirmTitle = Math.max(m.longestConfirmTitle, button.confirm.title.text.length);
            m.longestConfirmText = Math.max(m.longestConfirmText, button.confirm.text.text.length);
            m.longestConfirmButtonText = Math.max(m.longestConfirmButtonText, button.confirm.confirm.text.length, button.confirm.deny.text.length);
          }
        }
      }
    }
  }
  return { blockCount: message.blocks.length, ...m, blocksJsonLength: JSON.stringify(message.blocks).length, fallbackTextLength: message.text.length };
}

/** True when the message keeps every limit of APPROVAL_MESSAGE_LIMITS. */
export function isApprovalMessageWithinLimits(message: ApprovalMessage): boolean {
  const m = measureApprovalMessage(message);
  const L = APPROVAL_MESSAGE_LIMITS;
  return (
    m.blockCount <= L.maxBlocks &&
    m.longestSectionText <= L.maxSectionTextLength &&
    m.headerTextLength <= L.maxHeaderTextLength &&
    m.maxContextElements <= L.maxContextElements &&
    m.maxActionElements <= L.maxActionElements &&
    m.longestButtonText <= L.maxButtonTextLength &&
    m.longestButtonValue <= L.maxButtonValueLength &&
    m.longestConfirmTitle <= L.maxConfirmTitleLength &&
    m.longestConfirmText <= L.maxConfirmTextLength &&
    m.longestConfirmButtonText <= L.maxConfirmButtonTextLength &&
    m.blocksJsonLength <= L.maxBlocksJsonLength &&
    m.fallbackTextLength <= L.maxFallbackTextLength
  );
}
