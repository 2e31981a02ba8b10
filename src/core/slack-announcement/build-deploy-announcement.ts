/**
 * Builds the Slack deploy announcement (Block Kit + fallback text) from a DeployAnnouncementInput. Pure.
 *
 * Layout: header (repo, short SHA, who, how many stories) · summary (range, counts, links, on-call note) ·
 * high-risk stories with their post-deploy checks · the other stories with their checks · commits without a
 * ticket · reverts · "…and N more" with the report link when the rest does not fit.
 *
 * Every limit of SLACK_MESSAGE_LIMITS holds for any input: stories are added in order (high-risk first) while
 * they fit in the block and size budget, and the rest is summarised. All ticket and commit text goes through
 * `mrkdwnText` (escaped, mentions neutralised, truncated); every mrkdwn object is `verbatim`.
 */
import type { TicketSnapshot } from '../domain.js';
import type { AnnouncedRevert, AnnouncedStory, DeployAnnouncementInput, ShippedCheck } from './deploy-announcement-input.js';
import { isHighRisk, richDocLines } from './high-risk.js';
import type { ActionsBlock, AnnouncementBlock, LinkButton, SectionBlock, SlackMessage } from './slack-blocks.js';
import { isWithinSlackLimits, SLACK_MESSAGE_LIMITS } from './slack-blocks.js';
import { mrkdwnLink, mrkdwnText, plainText, shortSha, slackUrl } from './slack-mrkdwn.js';

/** Per-field caps (after escaping) so that one hostile ticket cannot eat the message. */
const FIELD = {
  key: 30,
  summary: 140,
  type: 40,
  assignee: 60,
  checkLine: 150,
  problem: 100,
  repo: 70,
  who: 40,
  revertSummary: 80,
} as const;
const MAX_REVERTS_LISTED = 10;
const MAX_CHECK_LINES = 5;
const MAX_PROBLEMS_LISTED = 3;
const MAX_MENTIONS = 10;
const MAX_FALLBACK_KEYS = 10;

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function repoName(input: DeployAnnouncementInput): string {
  return `${input.repo.owner}/${input.repo.repo}`;
}

function ticketUrl(key: string, ticket: TicketSnapshot | null, jiraBaseUrl: string | null): string | null {
  if (ticket !== null && slackUrl(ticket.url) !== null) return ticket.url;
  if (jiraBaseUrl === null) return null;
  return `${jiraBaseUrl.replace(/\/+$/, '')}/browse/${encodeURIComponent(key)}`;
}

function keyLink(key: string, ticket: TicketSnapshot | null, jiraBaseUrl: string | null): string {
  return mrkdwnLink(ticketUrl(key, ticket, jiraBaseUrl), `*${mrkdwnText(key, FIELD.key)}*`);
}

/** "2024-05-02 14:03 UTC" from an ISO time; the raw text (made safe) when it does not parse. */
function formatTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return mrkdwnText(iso, 40);
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function storyLine(story: AnnouncedStory, input: DeployAnnouncementInput, highRisk: boolean): string {
  const t = story.ticket;
  const commits = plural(story.commitCount, 'commit', 'commits');
  const link = keyLink(story.key, t, input.jiraBaseUrl);
  if (t === null) return `• ${link} _not found in JIRA_ · ${commits}`;
  const summary = mrkdwnText(t.summary, FIELD.summary) || '_(no summary)_';
  const details = [t.type ? `_${mrkdwnText(t.type, FIELD.type)}_` : null, t.assignee ? mrkdwnText(t.assignee, FIELD.assignee) : 'unassigned', commits].filter(
    (x): x is string => x !== null,
  );
  let line = `• ${link} ${summary} — ${details.join(' · ')}`;
  if (!input.rollback) line += checksLines(richDocLines(t.postDeployChecks), highRisk);
  return line;
}

/** Post-deploy checks under a story: one line inline, several as a list; their absence is flagged. */
function checksLines(checks: readonly string[], highRisk: boolean): string {
  if (checks.length === 0) return `\n      ↳ :warning: _No post-deploy checks${highRisk ? ' for a high-risk story' : ''}._`;
  if (checks.length === 1) return `\n      ↳ _Post-deploy checks:_ ${mrkdwnText(checks[0] ?? '', FIELD.checkLine)}`;
  const listed = checks.slice(0, MAX_CHECK_LINES).map((c) => `\n          ◦ ${mrkdwnText(c, FIELD.checkLine)}`);
  const more = checks.length > MAX_CHECK_LINES ? `\n          ◦ _and ${checks.length - MAX_CHECK_LINES} more in JIRA_` : '';
  return `\n      ↳ _Post-deploy checks:_${listed.join('')}${more}`;
}

/** How the shipped SHA's deploy check stood, for the summary; null when unknown or passing quietly. */
function shippedCheckLine(check: ShippedCheck | undefined, toSha: string): string | null {
  if (check === undefined) return null;
  switch (check.state) {
    case 'success':
      return ':white_check_mark: The deploy check passed.';
    case 'failure': {
      const listed = check.problems.slice(0, MAX_PROBLEMS_LISTED).map((p) => mrkdwnText(p, FIELD.problem));
      const more = check.problems.length > listed.length ? `; and ${check.problems.length - listed.length} more` : '';
      return `:warning: *Shipped with ${plural(check.problems.length, 'unresolved problem', 'unresolved problems')}:* ${listed.join('; ')}${more}.`;
    }
    case 'error':
      return `:warning: *Shipped while its deploy check could not finish:* ${mrkdwnText(check.error, FIELD.problem)}.`;
    case 'never-checked':
      return `:grey_question: *Shipped without a deploy check:* deploy-checker never evaluated \`${shortSha(toSha)}\`.`;
  }
}

const MENTION_ID = /^[SUW][A-Z0-9]{2,20}$/;

/** `slack.mention` ids as Slack mentions (user groups `<!subteam^S…>`, users `<@U…>`); invalid ids are dropped. */
export function slackMentions(ids: readonly string[] | undefined): string {
  return (ids ?? [])
    .filter((id) => MENTION_ID.test(id))
    .slice(0, MAX_MENTIONS)
    .map((id) => (id.startsWith('S') ? `<!subteam^${id}>` : `<@${id}>`))
    .join(' ');
}

/** Whether the deploy deserves the on-call's attention: high-risk stories, or shipped with problems or unchecked. */
function needsAttention(input: DeployAnnouncementInput, highRiskCount: number): boolean {
  return highRiskCount > 0 || (input.shippedCheck !== undefined && input.shippedCheck.state !== 'success');
}

function section(text: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text, verbatim: true } };
}

function jsonLength(value: unknown): number {
  return JSON.stringify(value).length;
}

interface OrderedStory {
  readonly story: AnnouncedStory;
  readonly highRisk: boolean;
}

function orderStories(input: DeployAnnouncementInput): OrderedStory[] {
  const flagged = input.stories.map((story) => ({ story, highRisk: isHighRisk(story.ticket, input.highRiskValues) }));
  return [...flagged.filter((s) => s.highRisk), ...flagged.filter((s) => !s.highRisk)];
}

function header(input: DeployAnnouncementInput, storyCount: number): AnnouncementBlock {
  const repo = plainText(repoName(input), FIELD.repo);
  const who = input.deployedBy ? ` by ${plainText(input.deployedBy, FIELD.who)}` : '';
  const sha = shortSha(input.toSha);
  const text = input.rollback
    ? `:rewind: Rollback of ${repo} to ${sha}${who} · removes ${plural(storyCount, 'story', 'stories')}`
    : `:rocket: ${repo} deployed ${sha}${who} · ${plural(storyCount, 'story', 'stories')}`;
  return {
    type: 'header',
    text: { type: 'plain_text', text: plainText(text, SLACK_MESSAGE_LIMITS.maxHeaderTextLength), emoji: true },
  };
}

function summary(input: DeployAnnouncementInput, ordered: readonly OrderedStory[]): AnnouncementBlock {
  const from = `\`${shortSha(input.fromSha)}\``;
  const to = `\`${shortSha(input.toSha)}\``;
  const who = input.deployedBy ? ` by *${mrkdwnText(input.deployedBy, FIELD.who)}*` : '';
  const when = formatTime(input.deployedAt);
  const highRiskCount = ordered.filter((s) => s.highRisk).length;
  const lines: string[] = [];
  if (input.rollback) {
    lines.push(`:warning: Production of *${mrkdwnText(repoName(input), FIELD.repo)}* moved *back* from ${from} to ${to}${who} at ${when}.`);
    lines.push(
      `*${plural(ordered.length, 'story is', 'stories are')}* no longer in production` +
        ` (${plural(input.commitCount, 'commit', 'commits')} removed)` +
        (highRiskCount > 0 ? ` · :warning: *${highRiskCount} high-risk*` : '') +
        '.',
    );
  } else {
    const counts = [
      `*${plural(ordered.length, 'story', 'stories')}*`,
      plural(input.commitCount, 'commit', 'commits'),
      highRiskCount > 0 ? `:warning: *${highRiskCount} high-risk*` : null,
    ].filter((x): x is string => x !== null);
    lines.push(counts.join(' · '));
    const check = shippedCheckLine(input.shippedCheck, input.toSha);
    if (check !== null) lines.push(check);
  }
  const mentions = slackMentions(input.mention);
  if (mentions !== '' && needsAttention(input, highRiskCount)) lines.unshift(mentions);
  const anyChecks = ordered.some((s) => s.story.ticket !== null && richDocLines(s.story.ticket.postDeployChecks).length > 0);
  if (!input.rollback && anyChecks) lines.push(':rotating_light: *On call: run the post-deploy checks below now.*');
  return section(lines.join('\n'));
}

/** Who, when, from → to: the facts support staff look for first. */
function contextBlock(input: DeployAnnouncementInput): AnnouncementBlock {
  const who = input.deployedBy ? `*${mrkdwnText(input.deployedBy, FIELD.who)}*` : '_someone_';
  return {
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `${input.rollback ? 'Rolled back' : 'Deployed'} by ${who} · ${formatTime(input.deployedAt)} · \`${shortSha(input.fromSha)}\` → \`${shortSha(input.toSha)}\``,
        verbatim: true,
      },
    ],
  };
}

/** "View report" and "Compare on GitHub" link buttons, when the URLs are usable. */
function buttonsBlock(input: DeployAnnouncementInput): ActionsBlock | null {
  const buttons: LinkButton[] = [];
  const report = slackUrl(input.reportUrl);
  const compare = slackUrl(input.compareUrl);
  if (report !== null) buttons.push({ type: 'button', text: { type: 'plain_text', text: 'View report' }, url: report, action_id: 'view_report' });
  if (compare !== null) buttons.push({ type: 'button', text: { type: 'plain_text', text: 'Compare on GitHub' }, url: compare, action_id: 'view_compare' });
  return buttons.length > 0 ? { type: 'actions', elements: buttons } : null;
}

function moreLink(input: DeployAnnouncementInput): string {
  if (slackUrl(input.reportUrl) !== null) return mrkdwnLink(input.reportUrl, 'see the full report');
  if (slackUrl(input.compareUrl) !== null) return mrkdwnLink(input.compareUrl, 'see the commits');
  return 'see the deploy report page';
}

function overflowBlock(input: DeployAnnouncementInput, hidden: number, hiddenHighRisk: number): SectionBlock {
  const risk = hiddenHighRisk > 0 ? ` (:warning: ${hiddenHighRisk} of them high-risk)` : '';
  return section(`…and *${plural(hidden, 'more story', 'more stories')}*${risk} — ${moreLink(input)}.`);
}

function bottomBlocks(input: DeployAnnouncementInput): AnnouncementBlock[] {
  const blocks: AnnouncementBlock[] = [];
  if (input.commitsWithoutTicket > 0) {
    const where = slackUrl(input.compareUrl) !== null ? ` — ${mrkdwnLink(input.compareUrl, 'see the commits')}` : '';
    const verb = input.rollback ? 'removed' : 'shipped';
    blocks.push(section(`:grey_question: *${plural(input.commitsWithoutTicket, 'commit', 'commits')}* without a ticket ${verb}${where}.`));
  }
  if (input.reverted.length > 0) {
    const listed = input.reverted.slice(0, MAX_REVERTS_LISTED).map((r: AnnouncedRevert) => {
      const what = r.ticket ? ` ${mrkdwnText(r.ticket.summary, FIELD.revertSummary)}` : '';
      return `${keyLink(r.key, r.ticket, input.jiraBaseUrl)}${what} (${plural(r.commitCount, 'commit', 'commits')})`;
    });
    const rest = input.reverted.length - listed.length;
    const more = rest > 0 ? `; and ${rest} more` : '';
    blocks.push(section(`:leftwards_arrow_with_hook: *Reverted by this deploy:* ${listed.join('; ')}${more}.`));
  }
  return blocks;
}

function fallbackText(input: DeployAnnouncementInput, ordered: readonly OrderedStory[]): string {
  const repo = mrkdwnText(repoName(input), FIELD.repo);
  const who = input.deployedBy ? ` by ${mrkdwnText(input.deployedBy, FIELD.who)}` : '';
  const sha = shortSha(input.toSha);
  const highRisk = ordered.filter((s) => s.highRisk);
  const head = input.rollback
    ? `Rollback of ${repo} to ${sha}${who}: removes ${plural(ordered.length, 'story', 'stories')}`
    : `${repo} deployed ${sha}${who}: ${plural(ordered.length, 'story', 'stories')}`;
  let risk = '';
  if (highRisk.length > 0) {
    const keys = highRisk.slice(0, MAX_FALLBACK_KEYS).map((s) => mrkdwnText(s.story.key, FIELD.key));
    const more = highRisk.length > keys.length ? ', …' : '';
    risk = `, ${highRisk.length} high-risk (${keys.join(', ')}${more})`;
  }
  const check = input.shippedCheck;
  const problems =
    check?.state === 'failure'
      ? ` Shipped with ${plural(check.problems.length, 'unresolved problem', 'unresolved problems')}.`
      : check?.state === 'error' || check?.state === 'never-checked'
        ? ' Shipped without a completed deploy check.'
        : '';
  const mentions = slackMentions(input.mention);
  const attention = mentions !== '' && needsAttention(input, highRisk.length) ? `${mentions} ` : '';
  const url = slackUrl(input.reportUrl);
  const report = url !== null ? ` Report: ${url}` : '';
  return `${attention}${head}${risk}.${problems}${report}`.slice(0, SLACK_MESSAGE_LIMITS.maxFallbackTextLength);
}

/** The deploy announcement. Always within SLACK_MESSAGE_LIMITS. */
export function buildDeployAnnouncement(input: DeployAnnouncementInput): SlackMessage {
  const L = SLACK_MESSAGE_LIMITS;
  const ordered = orderStories(input);
  const top: AnnouncementBlock[] = [header(input, ordered.length), contextBlock(input), summary(input, ordered), { type: 'divider' }];
  const buttons = buttonsBlock(input);
  const bottom = [...bottomBlocks(input), ...(buttons ? [buttons] : [])];
  const text = fallbackText(input, ordered);

  // Budget left for story sections, with room kept for the worst-case "…and N more" block.
  const reserve = overflowBlock(input, ordered.length, ordered.length);
  const fixedJson = jsonLength([...top, ...bottom, reserve]);
  let jsonBudget = L.maxBlocksJsonLength - fixedJson;
  let blockBudget = L.maxBlocks - top.length - bottom.length - 1;

  const sections: string[] = [];
  let shown = 0;
  let group: 'high' | 'other' | null = null;
  const highRiskCount = ordered.filter((s) => s.highRisk).length;

  for (const entry of ordered) {
    const line = storyLine(entry.story, input, entry.highRisk);
    const entryGroup = entry.highRisk ? 'high' : 'other';
    let fits = false;
    if (entryGroup !== group) {
      // A new group starts its own section, with its title.
      const title = entry.highRisk
        ? `:warning: *High-risk ${input.rollback ? 'stories removed' : 'stories'} (${highRiskCount})*`
        : `*${input.rollback ? 'Stories removed' : 'Stories'} (${ordered.length - highRiskCount})*`;
      const candidate = `${title}\n${line}`;
      const cost = jsonLength(section(candidate)) + 1;
      if (candidate.length <= L.maxSectionTextLength && blockBudget >= 1 && cost <= jsonBudget) {
        sections.push(candidate);
        blockBudget -= 1;
        jsonBudget -= cost;
        group = entryGroup;
        fits = true;
      }
    } else {
      const current = sections[sections.length - 1] ?? '';
      const appended = `${current}\n${line}`;
      if (appended.length <= L.maxSectionTextLength) {
        const cost = jsonLength(section(appended)) - jsonLength(section(current));
        if (cost <= jsonBudget) {
          sections[sections.length - 1] = appended;
          jsonBudget -= cost;
          fits = true;
        }
      } else {
        const cost = jsonLength(section(line)) + 1;
        if (line.length <= L.maxSectionTextLength && blockBudget >= 1 && cost <= jsonBudget) {
          sections.push(line);
          blockBudget -= 1;
          jsonBudget -= cost;
          fits = true;
        }
      }
    }
    if (!fits) break;
    shown += 1;
  }

  const storyBlocks: AnnouncementBlock[] =
    ordered.length === 0 ? [section(input.rollback ? 'No stories are removed by this rollback.' : 'No stories in this deploy.')] : sections.map(section);
  const hidden = ordered.length - shown;
  if (hidden > 0) {
    const hiddenHighRisk = ordered.slice(shown).filter((s) => s.highRisk).length;
    storyBlocks.push(overflowBlock(input, hidden, hiddenHighRisk));
  }

  const message: SlackMessage = { text, blocks: [...top, ...storyBlocks, ...bottom] };
  if (isWithinSlackLimits(message)) return message;
  // Unreachable by construction; kept so that a future change cannot produce a message Slack rejects.
  return { text, blocks: [top[0]!, top[1]!, top[2]!, overflowBlock(input, ordered.length, highRiskCount)] };
}
