/**
 * Builds the Slack deploy approval request (Block Kit + fallback text) from ApprovalRequestContent, and its decided
 * variant (buttons replaced by who decided and when). Pure.
 *
 * Layout: header · what is deployed where and by whom · why it waits (and who may decide) · the problems · every
 * status and check run of the SHA (failing first, then pending, then the rest) · the stories, high-risk first, each
 * with its post-deploy checks · "…and N more" with the report link when the rest does not fit · View report,
 * Approve (primary) and Reject (danger, confirmed) buttons, whose value is the review id.
 *
 * Every limit of APPROVAL_MESSAGE_LIMITS holds for any input (checked by isApprovalMessageWithinLimits): problems and
 * checks get a capped section each, stories fill what is left of the block and size budget. All JIRA, GitHub and
 * check text goes through `mrkdwnText` / `plainText` (escaped, mentions neutralised, truncated); every mrkdwn
 * object is `verbatim`.
 */
import type { ApprovalRequestContent, ShaCheck } from '../approval/deploy-approval-port.js';
import { slackMentions } from '../slack-announcement/build-deploy-announcement.js';
import type { SectionBlock } from '../slack-announcement/slack-blocks.js';
import { mrkdwnLink, mrkdwnText, plainText, shortSha, slackUrl } from '../slack-announcement/slack-mrkdwn.js';
import type { ActionButton, ApprovalActionsBlock, ApprovalBlock, ApprovalMessage } from './approval-blocks.js';
import { APPROVAL_MESSAGE_LIMITS, APPROVE_ACTION_ID, isApprovalMessageWithinLimits, REJECT_ACTION_ID } from './approval-blocks.js';

/** Per-field caps (after escaping) so that one hostile ticket or check name cannot eat the message. */
const FIELD = {
  key: 30,
  summary: 140,
  checkLine: 150,
  problem: 200,
  checkName: 100,
  checkState: 30,
  repo: 70,
  environment: 60,
  who: 40,
  reason: 300,
} as const;
const MAX_STORY_CHECK_LINES = 5;
/** JSON budgets of the capped sections (the stories get what is left of maxBlocksJsonLength). */
const PROBLEMS_JSON_BUDGET = 1_500;
const CHECKS_JSON_BUDGET = 3_000;
const MAX_FALLBACK_KEYS = 10;

export type ApprovalOutcome = {
  readonly state: 'approved' | 'rejected';
  /** Slack user id (U…/W…) of who decided, or a name. */
  readonly by: string;
  /** ISO 8601. */
  readonly at: string;
  readonly reason: string | null;
};

type Story = ApprovalRequestContent['stories'][number];

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function repoName(content: ApprovalRequestContent): string {
  return `${content.repo.owner}/${content.repo.repo}`;
}

function section(text: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text, verbatim: true } };
}

function jsonLength(value: unknown): number {
  return JSON.stringify(value).length;
}

/** "2024-05-02 14:03 UTC" from an ISO time; the raw text (made safe) when it does not parse. */
function formatTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return mrkdwnText(iso, 40);
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,20}$/;

/** A Slack user id as a mention, anything else as escaped text. */
function who(by: string): string {
  return SLACK_USER_ID.test(by) ? `<@${by}>` : `*${mrkdwnText(by, FIELD.who)}*`;
}

/** Check states grouped as the on-call reads them; the order is the listing order. */
type CheckGroup = 'failing' | 'pending' | 'other' | 'passing';
const GROUP_ORDER: readonly CheckGroup[] = ['failing', 'pending', 'other', 'passing'];

function checkGroup(state: string): CheckGroup {
  switch (state.toLowerCase()) {
    case 'success':
      return 'passing';
    case 'failure':
    case 'error':
    case 'timed_out':
    case 'action_required':
    case 'startup_failure':
      return 'failing';
    case 'pending':
    case 'queued':
    case 'in_progress':
    case 'waiting':
    case 'requested':
    case 'expected':
      return 'pending';
    default:
      return 'other';
  }
}

function checkIcon(state: string): string {
  switch (state.toLowerCase()) {
    case 'success':
      return ':white_check_mark:';
    case 'failure':
    case 'error':
    case 'timed_out':
    case 'startup_failure':
      return ':x:';
    case 'action_required':
      return ':raised_hand:';
    case 'cancelled':
      return ':no_entry_sign:';
    case 'skipped':
    case 'neutral':
    case 'stale':
      return ':heavy_minus_sign:';
    default:
      return checkGroup(state) === 'pending' ? ':hourglass_flowing_sand:' : ':grey_question:';
  }
}

function checkLine(check: ShaCheck): string {
  const name = mrkdwnLink(check.url, mrkdwnText(check.name, FIELD.checkName) || '_(unnamed)_');
  return `• ${checkIcon(check.state)} ${name} — _${mrkdwnText(check.state, FIELD.checkState) || 'unknown'}_`;
}

/** Adds lines under `title` while the section fits `maxJson`; returns the text and how many lines it holds. */
function fillSection(title: string, lines: readonly string[], maxJson: number, moreLine: (hidden: number) => string): string {
  let text = title;
  let shown = 0;
  for (const line of lines) {
    const candidate = `${text}\n${line}`;
    const rest = lines.length - shown - 1;
    const withMore = rest > 0 ? `${candidate}\n${moreLine(rest)}` : candidate;
    if (withMore.length > APPROVAL_MESSAGE_LIMITS.maxSectionTextLength || jsonLength(section(withMore)) > maxJson) break;
    text = candidate;
    shown += 1;
  }
  return shown < lines.length ? `${text}\n${moreLine(lines.length - shown)}` : text;
}

function reportMore(content: ApprovalRequestContent, what: string): string {
  return slackUrl(content.reportUrl) !== null ? `${what} — ${mrkdwnLink(content.reportUrl, 'see the report')}` : what;
}

function problemsBlock(content: ApprovalRequestContent): SectionBlock | null {
  if (content.problems.length === 0) return null;
  const lines = content.problems.map((p) => `• ${mrkdwnText(p, FIELD.problem) || '_(no description)_'}`);
  const title = `:warning: *${plural(content.problems.length, 'problem', 'problems')}*`;
  return section(fillSection(title, lines, PROBLEMS_JSON_BUDGET, (n) => `• _${reportMore(content, `…and ${n} more`)}_`));
}

function checksBlock(content: ApprovalRequestContent): SectionBlock {
  if (content.checks.length === 0) return section(':grey_question: *Statuses and checks:* none reported for this SHA.');
  const ordered = GROUP_ORDER.flatMap((g) => content.checks.filter((c) => checkGroup(c.state) === g));
  const count = (g: CheckGroup) => content.checks.filter((c) => checkGroup(c.state) === g).length;
  const counts = [
    count('failing') > 0 ? `:x: ${count('failing')} failing` : null,
    count('pending') > 0 ? `:hourglass_flowing_sand: ${count('pending')} pending` : null,
    count('other') > 0 ? `${count('other')} other` : null,
    count('passing') > 0 ? `:white_check_mark: ${count('passing')} passing` : null,
  ].filter((x): x is string => x !== null);
  const title = `*Statuses and checks (${content.checks.length}):* ${counts.join(' · ')}`;
  return section(fillSection(title, ordered.map(checkLine), CHECKS_JSON_BUDGET, (n) => `• _${reportMore(content, `…and ${n} more`)}_`));
}

function orderStories(content: ApprovalRequestContent): Story[] {
  return [...content.stories.filter((s) => s.highRisk), ...content.stories.filter((s) => !s.highRisk)];
}

function storyLine(story: Story): string {
  const key = mrkdwnLink(story.url, `*${mrkdwnText(story.key, FIELD.key) || '?'}*`);
  const summary = story.summary === null ? '_(not found in JIRA)_' : mrkdwnText(story.summary, FIELD.summary) || '_(no summary)_';
  const badge = story.highRisk ? ':warning: *HIGH RISK* ' : '';
  let line = `• ${badge}${key} ${summary}`;
  const checks = story.postDeployChecks.filter((c) => c.trim() !== '');
  if (checks.length === 0) {
    line += `\n      ↳ :warning: _No post-deploy checks${story.highRisk ? ' for a high-risk story' : ''}._`;
  } else {
    line += '\n      ↳ _Post-deploy checks:_';
    for (const c of checks.slice(0, MAX_STORY_CHECK_LINES)) line += `\n          ◦ ${mrkdwnText(c, FIELD.checkLine)}`;
    if (checks.length > MAX_STORY_CHECK_LINES) line += `\n          ◦ _and ${checks.length - MAX_STORY_CHECK_LINES} more in JIRA_`;
  }
  return line;
}

function header(text: string): ApprovalBlock {
  return { type: 'header', text: { type: 'plain_text', text: plainText(text, APPROVAL_MESSAGE_LIMITS.maxHeaderTextLength), emoji: true } };
}

function requestHeader(content: ApprovalRequestContent): ApprovalBlock {
  return header(
    `:raised_hand: Deploy waiting for approval: ${plainText(repoName(content), FIELD.repo)} to ${plainText(content.environment, FIELD.environment)}`,
  );
}

/** Repository, environment, SHA (linked to its report page: the content has no commit URL, and GitHub may be GHE) and who asked. */
function whatBlock(content: ApprovalRequestContent): ApprovalBlock {
  const sha = mrkdwnLink(content.reportUrl, `\`${shortSha(content.sha)}\``);
  const by = content.requestedBy ? `*${mrkdwnText(content.requestedBy, FIELD.who)}*` : '_unknown_';
  return {
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `*${mrkdwnText(repoName(content), FIELD.repo)}* · ${sha} → *${mrkdwnText(content.environment, FIELD.environment)}* · requested by ${by}`,
        verbatim: true,
      },
    ],
  };
}

function reasonBlock(content: ApprovalRequestContent): SectionBlock {
  const highRisk = content.stories.filter((s) => s.highRisk).length;
  const why =
    content.reason === 'problems'
      ? `:warning: *Waiting because the deploy check found ${plural(content.problems.length, 'problem', 'problems')}* (\`onProblems: wait\`).`
      : `:lock: *Waiting because deploys to ${mrkdwnText(content.environment, FIELD.environment)} need an approver's decision.*`;
  const counts = [plural(content.stories.length, 'story', 'stories'), highRisk > 0 ? `:warning: *${highRisk} high-risk*` : null].filter(
    (x): x is string => x !== null,
  );
  const approvers = slackMentions(content.approvers);
  const lines = [why, counts.join(' · ')];
  if (approvers !== '') lines.push(`Approvers: ${approvers}`);
  return section(lines.join('\n'));
}

function reportButton(content: ApprovalRequestContent): ApprovalActionsBlock['elements'][number] | null {
  const url = slackUrl(content.reportUrl);
  return url === null ? null : { type: 'button', text: { type: 'plain_text', text: 'View report' }, url, action_id: 'view_report' };
}

function decisionButtons(content: ApprovalRequestContent): ActionButton[] {
  const value = String(content.reviewId);
  const target = `${plainText(repoName(content), FIELD.repo)} ${shortSha(content.sha)} to ${plainText(content.environment, FIELD.environment)}`;
  return [
    { type: 'button', text: { type: 'plain_text', text: 'Approve' }, action_id: APPROVE_ACTION_ID, value, style: 'primary' },
    {
      type: 'button',
      text: { type: 'plain_text', text: 'Reject' },
      action_id: REJECT_ACTION_ID,
      value,
      style: 'danger',
      confirm: {
        title: { type: 'plain_text', text: 'Reject this deploy?' },
        text: { type: 'plain_text', text: plainText(`The deploy of ${target} will fail on GitHub.`, APPROVAL_MESSAGE_LIMITS.maxConfirmTextLength) },
        confirm: { type: 'plain_text', text: 'Reject' },
        deny: { type: 'plain_text', text: 'Cancel' },
        style: 'danger',
      },
    },
  ];
}

function outcomeBlock(outcome: ApprovalOutcome, content: ApprovalRequestContent): SectionBlock {
  const when = formatTime(outcome.at);
  const report = slackUrl(content.reportUrl) !== null ? ` · ${mrkdwnLink(content.reportUrl, 'View report')}` : '';
  const text =
    outcome.state === 'approved'
      ? `:white_check_mark: *Approved* by ${who(outcome.by)} at ${when}${report}`
      : `:no_entry: *Rejected* by ${who(outcome.by)} at ${when}${outcome.reason ? ` — ${mrkdwnText(outcome.reason, FIELD.reason)}` : ''}${report}`;
  return section(text);
}

function fallbackText(content: ApprovalRequestContent, outcome: ApprovalOutcome | null): string {
  const target = `${mrkdwnText(repoName(content), FIELD.repo)} ${shortSha(content.sha)} to ${mrkdwnText(content.environment, FIELD.environment)}`;
  const by = content.requestedBy ? ` (requested by ${mrkdwnText(content.requestedBy, FIELD.who)})` : '';
  const head =
    outcome === null
      ? `Deploy waiting for approval: ${target}${by}`
      : `Deploy ${outcome.state === 'approved' ? 'approved' : 'rejected'} by ${who(outcome.by)}: ${target}${by}`;
  const highRisk = content.stories.filter((s) => s.highRisk);
  let risk = '';
  if (highRisk.length > 0) {
    const keys = highRisk.slice(0, MAX_FALLBACK_KEYS).map((s) => mrkdwnText(s.key, FIELD.key));
    risk = `, ${highRisk.length} high-risk (${keys.join(', ')}${highRisk.length > keys.length ? ', …' : ''})`;
  }
  const problems = content.problems.length > 0 ? `, ${plural(content.problems.length, 'problem', 'problems')}` : '';
  const url = slackUrl(content.reportUrl);
  const text = `${head}: ${plural(content.stories.length, 'story', 'stories')}${risk}${problems}.${url !== null ? ` Report: ${url}` : ''}`;
  return text.length <= APPROVAL_MESSAGE_LIMITS.maxFallbackTextLength ? text : `${head}.`.slice(0, APPROVAL_MESSAGE_LIMITS.maxFallbackTextLength);
}

function overflowBlock(content: ApprovalRequestContent, hidden: number, hiddenHighRisk: number): SectionBlock {
  const risk = hiddenHighRisk > 0 ? ` (:warning: ${hiddenHighRisk} of them high-risk)` : '';
  return section(
    `…and *${plural(hidden, 'more story', 'more stories')}*${risk}${slackUrl(content.reportUrl) !== null ? ` — ${mrkdwnLink(content.reportUrl, 'see the full report')}` : ''}.`,
  );
}

/** Story sections, high-risk first, filling at most `blockBudget` blocks and `jsonBudget` characters of JSON. */
function storyBlocks(content: ApprovalRequestContent, blockBudget: number, jsonBudget: number): SectionBlock[] {
  const L = APPROVAL_MESSAGE_LIMITS;
  const ordered = orderStories(content);
  if (ordered.length === 0) return [section('No stories in this deploy.')];
  const highRiskCount = ordered.filter((s) => s.highRisk).length;
  const sections: string[] = [];
  let group: 'high' | 'other' | null = null;
  let shown = 0;
  let blocks = blockBudget;
  let json = jsonBudget;
  const tryNew = (text: string): boolean => {
    const cost = jsonLength(section(text)) + 1;
    if (text.length > L.maxSectionTextLength || blocks < 1 || cost > json) return false;
    sections.push(text);
    blocks -= 1;
    json -= cost;
    return true;
  };
  for (const story of ordered) {
    const line = storyLine(story);
    const storyGroup = story.highRisk ? 'high' : 'other';
    let fits: boolean;
    if (storyGroup !== group) {
      const title = story.highRisk ? `:warning: *High-risk stories (${highRiskCount})*` : `*Stories (${ordered.length - highRiskCount})*`;
      fits = tryNew(`${title}\n${line}`);
      if (fits) group = storyGroup;
    } else {
      const current = sections[sections.length - 1] ?? '';
      const appended = `${current}\n${line}`;
      const cost = jsonLength(section(appended)) - jsonLength(section(current));
      if (appended.length <= L.maxSectionTextLength && cost <= json) {
        sections[sections.length - 1] = appended;
        json -= cost;
        fits = true;
      } else {
        fits = tryNew(line);
      }
    }
    if (!fits) break;
    shown += 1;
  }
  const result = sections.map(section);
  const hidden = ordered.length - shown;
  if (hidden > 0) result.push(overflowBlock(content, hidden, ordered.slice(shown).filter((s) => s.highRisk).length));
  return result;
}

function build(content: ApprovalRequestContent, outcome: ApprovalOutcome | null): ApprovalMessage {
  const L = APPROVAL_MESSAGE_LIMITS;
  const problems = problemsBlock(content);
  const headerBlock =
    outcome === null
      ? requestHeader(content)
      : header(
          `${outcome.state === 'approved' ? ':white_check_mark: Deploy approved' : ':no_entry: Deploy rejected'}: ${plainText(repoName(content), FIELD.repo)} to ${plainText(content.environment, FIELD.environment)}`,
        );
  const top: ApprovalBlock[] = [
    headerBlock,
    whatBlock(content),
    reasonBlock(content),
    ...(problems ? [problems] : []),
    checksBlock(content),
    { type: 'divider' },
  ];
  const bottom: ApprovalBlock[] = [];
  if (outcome === null) {
    const report = reportButton(content);
    bottom.push({ type: 'actions', elements: [...(report ? [report] : []), ...decisionButtons(content)] });
  } else {
    bottom.push(outcomeBlock(outcome, content));
  }
  const text = fallbackText(content, outcome);
  // Room kept for the worst-case "…and N more" block.
  const reserve = overflowBlock(content, content.stories.length, content.stories.length);
  const jsonBudget = L.maxBlocksJsonLength - jsonLength([...top, ...bottom, reserve]);
  const blockBudget = L.maxBlocks - top.length - bottom.length - 1;
  const message: ApprovalMessage = { text, blocks: [...top, ...storyBlocks(content, blockBudget, jsonBudget), ...bottom] };
  if (isApprovalMessageWithinLimits(message)) return message;
  // Unreachable by construction; kept so that a future change cannot produce a message Slack rejects.
  return { text, blocks: [headerBlock, whatBlock(content), overflowBlock(content, content.stories.length, 0), ...bottom] };
}

/** The approval request with Approve / Reject buttons. Always within APPROVAL_MESSAGE_LIMITS. */
export function buildApprovalRequest(content: ApprovalRequestContent): ApprovalMessage {
  return build(content, null);
}

/** The same request once decided: no buttons; who decided, when, and why it was rejected. */
export function buildDecidedApprovalRequest(content: ApprovalRequestContent, outcome: ApprovalOutcome): ApprovalMessage {
  return build(content, outcome);
}
