/**
 * An in-memory fake of the store methods the web pages use (WebReportStore), plus helpers to seed it. It follows
 * the ReportStore contract for those methods: one report per (repo, kind, PR number, deploy SHA), newest first
 * lists, deploy kind first in getReport.
 */
import type { DeployReport, RepoRef } from '../../src/core/domain.js';
import type { AnnouncementRecord, ReportListItem, RepoSummary } from '../../src/store/report-store.js';
import type { RateLimitAnswer, StoredWebSession } from '../../src/store/session-store.js';
import type { WebReportStore } from '../../src/web/web-handler.js';
import type { JiraDeliveryKeys } from '../../src/store/delivery-store.js';

function repoKey(repo: RepoRef): string {
  return `${repo.owner}/${repo.repo}`.toLowerCase();
}

function rowKey(report: DeployReport): string {
  return `${repoKey(report.repo)}|${report.kind}|${report.pullRequest?.number ?? ''}|${report.headSha}`;
}

export class InMemoryReportStore implements WebReportStore {
  private readonly rows = new Map<string, { id: number; report: DeployReport }>();
  private readonly announcements: AnnouncementRecord[] = [];
  private readonly deliveries = new Set<string>();
  readonly sessions = new Map<string, StoredWebSession>();
  private readonly rateLimits = new Map<string, { hits: number; windowEnd: number }>();
  private nextId = 1;

  async saveReport(report: DeployReport): Promise<number> {
    const key = rowKey(report);
    const existing = this.rows.get(key);
    if (existing) {
      if (Date.parse(existing.report.evaluatedAt) > Date.parse(report.evaluatedAt)) return existing.id;
      existing.report = report;
      return existing.id;
    }
    const id = this.nextId++;
    this.rows.set(key, { id, report });
    return id;
  }

  addAnnouncement(record: Omit<AnnouncementRecord, 'id'>): AnnouncementRecord {
    const full = { ...record, id: this.nextId++ };
    this.announcements.push(full);
    return full;
  }

  private listItem(id: number, report: DeployReport): ReportListItem {
    return {
      id,
      kind: report.kind,
      repo: report.repo,
      headSha: report.headSha,
      baseSha: report.baseSha,
      pullRequestNumber: report.pullRequest?.number ?? null,
      trigger: report.trigger,
      evaluatedAt: report.evaluatedAt,
      state: report.state,
      ticketCount: report.tickets.length,
      problemCount: report.findings.length,
      commitCount: report.commits.length,
      statusDescription: report.statusDescription,
      highRiskCount: report.highRiskKeys?.length ?? 0,
    };
  }

  private newestFirst(): { id: number; report: DeployReport }[] {
    return [...this.rows.values()].sort((a, b) => Date.parse(b.report.evaluatedAt) - Date.parse(a.report.evaluatedAt) || b.id - a.id);
  }

  async getReport(repo: RepoRef, sha: string): Promise<DeployReport | null> {
    const matches = this.newestFirst().filter((r) => repoKey(r.report.repo) === repoKey(repo) && r.report.headSha === sha);
    return (matches.find((r) => r.report.kind === 'deploy') ?? matches[0])?.report ?? null;
  }

  async reportShasWithPrefix(repo: RepoRef, prefix: string, limit: number): Promise<string[]> {
    const shas = new Set(
      this.newestFirst()
        .filter((r) => repoKey(r.report.repo) === repoKey(repo) && r.report.headSha.startsWith(prefix))
        .map((r) => r.report.headSha),
    );
    return [...shas].sort().slice(0, limit);
  }

  async listRepositories(): Promise<RepoSummary[]> {
    const seen = new Map<string, RepoSummary>();
    for (const { id, report } of this.newestFirst()) {
      if (!seen.has(repoKey(report.repo))) seen.set(repoKey(report.repo), { repo: report.repo, latest: this.listItem(id, report) });
    }
    return [...seen.values()];
  }

  async listReports(repo: RepoRef, page: { limit: number; offset: number }): Promise<{ items: ReportListItem[]; total: number }> {
    const all = this.newestFirst().filter((r) => repoKey(r.report.repo) === repoKey(repo));
    return { items: all.slice(page.offset, page.offset + page.limit).map((r) => this.listItem(r.id, r.report)), total: all.length };
  }

  async reportsForTicket(key: string): Promise<ReportListItem[]> {
    return this.newestFirst()
      .filter((r) => r.report.tickets.some((t) => t.key === key) || r.report.reverted.some((t) => t.key === key))
      .map((r) => this.listItem(r.id, r.report));
  }

  async announcementsForTicket(key: string): Promise<AnnouncementRecord[]> {
    return this.announcements.filter((a) => a.ticketKeys.includes(key)).sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id - a.id);
  }

  async announcementsForSha(repo: RepoRef, toSha: string): Promise<AnnouncementRecord[]> {
    return this.announcements
      .filter((a) => a.repo.owner === repo.owner && a.repo.repo === repo.repo && a.toSha === toSha)
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id - a.id);
  }

  async recordJiraDelivery(keys: JiraDeliveryKeys): Promise<boolean> {
    const ids = [keys.deliveryId === null ? null : `id:${keys.deliveryId}`, `body:${keys.bodyHash}`].filter((id): id is string => id !== null);
    if (ids.some((id) => this.deliveries.has(id))) return false;
    for (const id of ids) this.deliveries.add(id);
    return true;
  }

  async createWebSession(session: { id: string; login: string; tokenCiphertext: string; createdAt: Date; expiresAt: Date }): Promise<void> {
    if (this.sessions.has(session.id)) throw new Error('duplicate session id');
    this.sessions.set(session.id, {
      id: session.id,
      login: session.login,
      tokenCiphertext: session.tokenCiphertext,
      createdAt: session.createdAt.toISOString(),
      expiresAt: session.expiresAt.toISOString(),
    });
  }

  async getWebSession(id: string, now: Date): Promise<StoredWebSession | null> {
    const session = this.sessions.get(id);
    return session && Date.parse(session.expiresAt) > now.getTime() ? session : null;
  }

  async revokeWebSession(id: string): Promise<boolean> {
    return this.sessions.delete(id);
  }

  async hitRateLimit(bucket: string, limit: number, windowMs: number, now: Date): Promise<RateLimitAnswer> {
    const current = this.rateLimits.get(bucket);
    const entry = !current || current.windowEnd <= now.getTime() ? { hits: 1, windowEnd: now.getTime() + windowMs } : { ...current, hits: current.hits + 1 };
    this.rateLimits.set(bucket, entry);
    return entry.hits <= limit ? { allowed: true, hits: entry.hits } : { allowed: false, hits: entry.hits, retryAfterMs: entry.windowEnd - now.getTime() };
  }

  async pruneWebSessions(now: Date): Promise<{ sessions: number; rateLimits: number }> {
    let sessions = 0;
    let rateLimits = 0;
    for (const [id, session] of this.sessions) if (Date.parse(session.expiresAt) <= now.getTime() && this.sessions.delete(id)) sessions += 1;
    for (const [bucket, entry] of this.rateLimits) if (entry.windowEnd <= now.getTime() && this.rateLimits.delete(bucket)) rateLimits += 1;
    return { sessions, rateLimits };
  }
}
