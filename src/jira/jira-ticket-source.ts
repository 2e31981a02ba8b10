/**
 * TicketSource over JIRA Cloud (REST v3: bulkfetch, and through jira.js fields and project search) or Data Center
 * (REST v2 with a Bearer PAT: search with `key in (…)`, fields, projects). Field names are resolved to ids once
 * and cached; the project list is cached; batches of ≤100 keys run in parallel, bounded by p-queue.
 */
import PQueue from 'p-queue';
import { z } from 'zod';
import { createCloudClient } from 'jira.js';
import type { Logger } from 'pino';
import type { TicketSnapshot } from '../core/domain.js';
import type { TicketFieldConfig, TicketSource } from '../core/ports.js';
import { CheckFailure } from '../core/check-failure.js';
import { toRichDoc, richDocText } from '../core/jira-fields/rich-text.js';
import { JiraHttpError, type JiraTransport } from './jira-transport.js';

export const JIRA_BATCH_SIZE = 100;

export interface JiraTicketSourceOptions {
  readonly transport: JiraTransport;
  readonly logger: Logger;
  readonly concurrency?: number;
  readonly cacheTtlMs?: number;
  readonly now?: () => number;
}

const fieldListSchema = z.array(z.object({ id: z.string(), name: z.string().nullish() }).loose());
const issueSchema = z
  .object({
    key: z.string(),
    fields: z.record(z.string(), z.unknown()).default({}),
  })
  .loose();
const bulkFetchSchema = z.object({ issues: z.array(issueSchema).default([]) }).loose();
const searchSchema = z.object({ issues: z.array(issueSchema).default([]), total: z.number().optional() }).loose();
const projectPageSchema = z
  .object({ values: z.array(z.object({ key: z.string() }).loose()), isLast: z.boolean().optional(), total: z.number().optional() })
  .loose();
const projectListSchema = z.array(z.object({ key: z.string() }).loose());

function jiraFailure(error: unknown, doing: string): CheckFailure {
  if (error instanceof CheckFailure) return error;
  if (error instanceof JiraHttpError) {
    const what =
      error.status === null
        ? `JIRA did not answer while ${doing} (${error.detail})`
        : error.status === 401 || error.status === 403
          ? `JIRA refused the app's credentials (HTTP ${error.status}) while ${doing}`
          : `JIRA answered HTTP ${error.status} while ${doing}`;
    return new CheckFailure(what, 'jira', { cause: error });
  }
  return new CheckFailure(`JIRA gave an unexpected answer while ${doing}`, 'jira', { cause: error });
}

const named = (v: unknown, prop: 'name' | 'displayName'): string | null => {
  if (typeof v === 'object' && v !== null && typeof (v as Record<string, unknown>)[prop] === 'string') {
    return (v as Record<string, string>)[prop]!;
  }
  return null;
};

export function createJiraTicketSource(options: JiraTicketSourceOptions): TicketSource & { resolveFieldId(ref: string): Promise<string> } {
  const { transport } = options;
  const cloud = transport.flavor === 'cloud' ? createCloudClient(transport) : null;
  const api = transport.flavor === 'cloud' ? '/rest/api/3' : '/rest/api/2';
  const ttl = options.cacheTtlMs ?? 10 * 60_000;
  const now = options.now ?? Date.now;
  const queue = new PQueue({ concurrency: options.concurrency ?? 4 });
  // Caches live in this closure: one per client instance, never module-wide.
  let fields: { at: number; value: Promise<Map<string, string>> } | null = null;
  let projects: { at: number; value: Promise<string[]> } | null = null;

  function fieldIndex(): Promise<Map<string, string>> {
    if (fields && now() - fields.at < ttl) return fields.value;
    const value = (async () => {
      const raw = cloud ? await cloud.issueFields.getFields() : await transport.request({ url: `${api}/field` });
      const list = fieldListSchema.parse(raw);
      const index = new Map<string, string>();
      for (const f of list) {
        index.set(f.id.toLowerCase(), f.id);
        if (f.name && !index.has(`name:${f.name.toLowerCase()}`)) index.set(`name:${f.name.toLowerCase()}`, f.id);
      }
      return index;
    })();
    fields = { at: now(), value };
    value.catch(() => {
      fields = null;
    });
    return value;
  }

  async function resolveFieldId(ref: string): Promise<string> {
    let index: Map<string, string>;
    try {
      index = await fieldIndex();
    } catch (error) {
      throw jiraFailure(error, 'listing fields');
    }
    const id = index.get(ref.toLowerCase()) ?? index.get(`name:${ref.toLowerCase()}`);
    if (!id) throw new CheckFailure(`JIRA has no field "${ref}" (check jira.fields in the config)`, 'config');
    return id;
  }

  async function fetchBatch(keys: readonly string[], fieldIds: string[]): Promise<z.infer<typeof issueSchema>[]> {
    // Both are reads sent as POST (the keys do not fit a URL): marked idempotent, so a timeout is retried.
    if (cloud) {
      const raw = await transport.request({
        url: `${api}/issue/bulkfetch`,
        method: 'POST',
        body: { issueIdsOrKeys: [...keys], fields: fieldIds },
        idempotent: true,
      });
      return bulkFetchSchema.parse(raw).issues;
    }
    const raw = await transport.request({
      url: `${api}/search`,
      method: 'POST',
      body: { jql: `key in (${keys.join(',')})`, fields: fieldIds, maxResults: keys.length, validateQuery: 'warn' },
      idempotent: true,
    });
    return searchSchema.parse(raw).issues;
  }

  return {
    resolveFieldId,

    listProjectKeys() {
      if (projects && now() - projects.at < ttl) return projects.value;
      const value = (async () => {
        try {
          if (!cloud) return projectListSchema.parse(await transport.request({ url: `${api}/project` })).map((p) => p.key.toUpperCase());
          const keys: string[] = [];
          for (let startAt = 0; ; ) {
            const page = projectPageSchema.parse(await cloud.projects.searchProjects({ startAt, maxResults: 50 }));
            keys.push(...page.values.map((p) => p.key.toUpperCase()));
            startAt += page.values.length;
            if (page.isLast !== false || page.values.length === 0) break;
          }
          return keys;
        } catch (error) {
          throw jiraFailure(error, 'listing projects');
        }
      })();
      projects = { at: now(), value };
      value.catch(() => {
        projects = null;
      });
      return value;
    },

    async fetchTickets(keys: readonly string[], fieldConfig: TicketFieldConfig) {
      const riskId = await resolveFieldId(fieldConfig.riskAssessment);
      const checksId = await resolveFieldId(fieldConfig.postDeployChecks);
      const levelId = fieldConfig.riskLevel ? await resolveFieldId(fieldConfig.riskLevel) : null;
      const fieldIds = ['summary', 'issuetype', 'status', 'assignee', riskId, checksId, ...(levelId ? [levelId] : [])];
      const unique = [...new Set(keys)];
      const batches: string[][] = [];
      for (let i = 0; i < unique.length; i += JIRA_BATCH_SIZE) batches.push(unique.slice(i, i + JIRA_BATCH_SIZE));
      let results: z.infer<typeof issueSchema>[][];
      try {
        results = await Promise.all(batches.map((batch) => queue.add(() => fetchBatch(batch, fieldIds))));
      } catch (error) {
        throw jiraFailure(error, `fetching ${unique.length} tickets`);
      }
      const wanted = new Set(unique);
      const out = new Map<string, TicketSnapshot>();
      for (const issue of results.flat()) {
        const key = issue.key.toUpperCase();
        if (!wanted.has(key)) continue; // a moved issue answers under its new key: the old key stays unknown
        const f = issue.fields;
        const level = levelId ? richDocText(toRichDoc(f[levelId])).trim() : '';
        out.set(key, {
          key,
          summary: typeof f.summary === 'string' ? f.summary : '',
          type: named(f.issuetype, 'name'),
          status: named(f.status, 'name'),
          assignee: named(f.assignee, 'displayName'),
          riskAssessment: toRichDoc(f[riskId]),
          postDeployChecks: toRichDoc(f[checksId]),
          riskLevel: level || null,
          url: `${transport.baseUrl}/browse/${encodeURIComponent(key)}`,
        });
      }
      options.logger.debug({ requested: unique.length, found: out.size, batches: batches.length }, 'JIRA tickets fetched');
      return out;
    },
  };
}
