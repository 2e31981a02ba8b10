/**
 * JiraWriter over the JIRA transport: comments (Cloud REST v3 wants ADF, Data Center REST v2 a string) and
 * workflow transitions. Every failure rejects; the announcer turns it into a note on the report.
 */
import { z } from 'zod';
import type { JiraTransition, JiraWriter } from '../core/slack-announcement/jira-writer.js';
import { JiraHttpError, type JiraTransport } from './jira-transport.js';

const transitionsSchema = z.object({
  transitions: z.array(z.object({ id: z.string(), name: z.string(), to: z.object({ name: z.string().nullish() }).loose().nullish() }).loose()),
});

/** Plain text (paragraphs separated by blank lines, URLs written out) → an ADF document with linked URLs. */
export function plainTextToAdf(text: string): Record<string, unknown> {
  const paragraphs = text.split(/\n{2,}/).filter((p) => p.trim() !== '');
  return {
    type: 'doc',
    version: 1,
    content: paragraphs.map((p) => ({
      type: 'paragraph',
      content: p.split('\n').flatMap((line, i) => {
        const nodes: Record<string, unknown>[] = i > 0 ? [{ type: 'hardBreak' }] : [];
        for (const part of line.split(/(https?:\/\/\S+)/)) {
          if (!part) continue;
          nodes.push(/^https?:\/\//.test(part) ? { type: 'text', text: part, marks: [{ type: 'link', attrs: { href: part } }] } : { type: 'text', text: part });
        }
        return nodes;
      }),
    })),
  };
}

function describe(error: unknown): Error {
  if (error instanceof JiraHttpError) {
    let detail = '';
    try {
      const body = JSON.parse(error.detail) as { errorMessages?: string[]; errors?: Record<string, string> };
      detail = [...(body.errorMessages ?? []), ...Object.values(body.errors ?? {})].join('; ');
    } catch {
      // not JSON
    }
    return new Error(error.status === null ? error.message : `JIRA ${error.status}${detail ? `: ${detail}` : ''}`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

export function createJiraWriter(transport: JiraTransport): JiraWriter {
  const api = transport.flavor === 'cloud' ? '/rest/api/3' : '/rest/api/2';
  const issue = (key: string) => `${api}/issue/${encodeURIComponent(key)}`;
  return {
    async addComment(key, text) {
      const body = transport.flavor === 'cloud' ? plainTextToAdf(text) : text;
      await transport.request({ url: `${issue(key)}/comment`, method: 'POST', body: { body } }).catch((e: unknown) => {
        throw describe(e);
      });
    },
    async getTransitions(key) {
      const raw = await transport.request({ url: `${issue(key)}/transitions` }).catch((e: unknown) => {
        throw describe(e);
      });
      return transitionsSchema.parse(raw).transitions.map((t): JiraTransition => ({ id: t.id, name: t.name, toStatus: t.to?.name ?? null }));
    },
    async transition(key, transitionId) {
      await transport.request({ url: `${issue(key)}/transitions`, method: 'POST', body: { transition: { id: transitionId } } }).catch((e: unknown) => {
        throw describe(e);
      });
    },
  };
}
