/**
 * JIRA write-back after a posted announcement (config `jira.onDeploy`): a comment on each deployed ticket, and a
 * transition when the workflow allows it. Failures become notes; this never throws.
 * A rollback gets a comment (when comments are on) and no transition.
 */
import type { Logger } from 'pino';
import type { DeployAnnouncementInput } from '../core/slack-announcement/deploy-announcement-input.js';
import type { JiraOnDeploySettings, WriteBackNote } from '../core/slack-announcement/jira-write-back-plan.js';
import { buildDeployComment, describeNoTransition, pickTransition } from '../core/slack-announcement/jira-write-back-plan.js';
import type { JiraWriter } from '../core/slack-announcement/jira-writer.js';
import { singleLine } from '../core/slack-announcement/slack-mrkdwn.js';

function reason(err: unknown): string {
  const text = singleLine(err instanceof Error ? err.message : String(err));
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

export async function writeBackToJira(
  deps: { readonly writer: JiraWriter; readonly logger: Logger; readonly concurrency?: number },
  content: DeployAnnouncementInput,
  settings: JiraOnDeploySettings,
): Promise<WriteBackNote[]> {
  const wanted = content.rollback ? null : settings.transition?.trim() || null;
  if (!settings.comment && wanted === null) return [];
  const tickets = content.stories.flatMap((s) => (s.ticket === null ? [] : [s.ticket]));
  const comment = buildDeployComment(content);
  const notes: WriteBackNote[] = [];
  const log = deps.logger.child({ component: 'jira-write-back', repo: `${content.repo.owner}/${content.repo.repo}`, toSha: content.toSha });

  async function one(key: string, status: string | null): Promise<void> {
    if (settings.comment) {
      try {
        await deps.writer.addComment(key, comment);
      } catch (err) {
        notes.push({ key, action: 'comment', message: `comment failed: ${reason(err)}` });
      }
    }
    if (wanted === null) return;
    if (status !== null && status.trim().toLowerCase() === wanted.toLowerCase()) return;
    let transitions: Awaited<ReturnType<typeof deps.writer.getTransitions>>;
    try {
      transitions = await deps.writer.getTransitions(key);
    } catch (err) {
      notes.push({ key, action: 'transition', message: `could not read transitions: ${reason(err)}` });
      return;
    }
    const chosen = pickTransition(transitions, wanted);
    if (chosen === null) {
      notes.push({ key, action: 'transition', message: describeNoTransition(wanted, status, transitions) });
      return;
    }
    try {
      await deps.writer.transition(key, chosen.id);
    } catch (err) {
      notes.push({ key, action: 'transition', message: `transition "${chosen.name}" refused: ${reason(err)}` });
    }
  }

  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(deps.concurrency ?? 4, tickets.length)) }, async () => {
    while (next < tickets.length) {
      const ticket = tickets[next++]!;
      await one(ticket.key, ticket.status);
    }
  });
  await Promise.all(workers);
  notes.sort((a, b) => a.key.localeCompare(b.key) || a.action.localeCompare(b.action));
  if (notes.length > 0) log.warn({ notes: notes.length }, 'JIRA write-back incomplete');
  return notes;
}
