/**
 * An in-memory fake of the store methods the web pages use (WebReportStore), plus helpers to seed it. It follows
 * the ReportStore contract for those methods: one report per (repo, kind, PR number, deploy SHA), newest first
 * lists, deploy kind first in getReport. Every saved evaluation is also kept with its own id (listEvaluationsForSha,
 * getReportById), shipments are kept in a list (addShipment), and deployment protection reviews too
 * (addProtectionReview; listProtectionReviewsForSha newest first, by id, like the SQL store).
 */
import type { DeployReport, RepoRef } from '../../src/core/domain.js';
import { shippedWithProblems, type ShipmentRecord } from '../../src/core/records/shipment-record.js';
import type { AnnouncementRecord, ReportListItem, RepoSummary, RepositoryFilter, RepositoryOverview } from '../../src/store/report-store.js';
import type { ShipmentFilter, ShipmentInput } from '../../src/store/shipment-store.js';
import type { RateLimitAnswer, StoredWebSession } from '../../src/store/session-store.js';
import type { WebReportStore } from '../../src/web/web-handler.js';
import type { JiraDeliveryKeys } from '../../src/store/delivery-store.js';
import type { ProtectionReview } from '../../src/store/protection-review-store.js';

function repoKey(repo: RepoRef): string {
  return `${repo.owner}/${repo.repo}`.toLowerCase();
}

function rowKey(report: DeployReport): string {
  return `${repoKey(report.repo)}|${report.kind}|${report.pullRequest?.number ?? ''}|${report.headSha}`;
}

export class InMemoryReportStore implements WebReportStore {
  private readonly rows = new Map<string, { id: number; report: DeployReport }>();
  private readonly evaluations: { id: number; report: DeployReport }[] = [];
  private readonly shipments: ShipmentRecord[] = [];
  private readonly announcements: AnnouncementRecord[] = [];
  private readonly protectionReviews: ProtectionReview[] = [];
  private readonly deliveries = new Set<string>();
  readonly sessions = new Map<string, StoredWebSession>();
  private readonly rateLimits = new Map<string, { hits: number; windowEnd: number }>();
  private nextId = 1;

  async saveReport(report: DeployReport): Promise<number> {
    const key = rowKey(report);
    const existing = this.rows.get(key);
    if (existing && Date.parse(existing.report.evaluatedAt) > Date.parse(report.evaluatedAt)) return existing.id;
    const id = this.nextId++;
    this.rows.set(key, { id, report });
    this.evaluations.push({ id, report });
    return id;
  }

  /** Seeds a shipment (the web pages only read them). */
  addShipment(input: ShipmentInput): ShipmentRecord {
    const record: ShipmentRecord = { ...input, kind: 'shipment', id: this.nextId++ };
    this.shipments.push(record);
    return record;
  }

  private shipmentsNewestFirst(): ShipmentRecord[] {
    return [...this.shipments].sort((a, b) => Date.parse(b.shippedAt) - Date.parse(a.shippedAt) || b.id - a.id);
  }

  async listEvaluationsForSha(repo: RepoRef, sha: string): Promise<ReportListItem[]> {
    return [...this.evaluations]
      .filter((r) => repoKey(r.report.repo) === repoKey(repo) && r.report.headSha === sha)
      .sort((a, b) => Date.parse(b.report.evaluatedAt) - Date.parse(a.report.evaluatedAt) || b.id - a.id)
      .map((r) => this.listItem(r.id, r.report));
  }

  async getReportById(id: number): Promise<DeployReport | null> {
    return this.evaluations.find((r) => r.id === id)?.report ?? null;
  }

  async listRepositoryOverviews(filter: RepositoryFilter): Promise<{ items: RepositoryOverview[]; total: number }> {
    const overviews = new Map<string, RepositoryOverview>();
    for (const { id, report } of this.newestFirst()) {
      const key = repoKey(report.repo);
      const current = overviews.get(key);
      if (!current) {
        const lastShipment = this.shipmentsNewestFirst().find((s) => repoKey(s.repo) === key) ?? null;
        overviews.set(key, { repo: report.repo, latest: this.listItem(id, report), pendingDeploy: null, lastShipment });
      }
      const overview = overviews.get(key) as RepositoryOverview;
      if (overview.pendingDeploy === null && report.kind === 'deploy' && !this.shipments.some((s) => repoKey(s.repo) === key && s.toSha === report.headSha)) {
        // Pending: the newest deploy evaluation that production has not reached, unless a newer one shipped.
        const newerShipped = overview.lastShipment !== null && Date.parse(overview.lastShipment.shippedAt) > Date.parse(report.evaluatedAt);
        if (!newerShipped) overviews.set(key, { ...overview, pendingDeploy: this.listItem(id, report) });
      }
    }
    const activity = (o: RepositoryOverview): number => Math.max(Date.parse(o.latest.evaluatedAt), o.lastShipment ? Date.parse(o.lastShipment.shippedAt) : 0);
    const needle = filter.repoContains?.toLowerCase();
    const matching = [...overviews.values()]
      .filter((o) => needle === undefined || `${o.repo.owner}/${o.repo.repo}`.toLowerCase().includes(needle))
      .filter((o) => {
        if (filter.state === undefined) return true;
        if (filter.state === 'shipped-with-problems') return o.lastShipment !== null && shippedWithProblems(o.lastShipment);
        return o.pendingDeploy?.state === filter.state;
      })
      .sort((a, b) => activity(b) - activity(a));
    return { items: matching.slice(filter.offset, filter.offset + filter.limit), total: matching.length };
  }

  async shipmentsForSha(repo: RepoRef, toSha: string): Promise<ShipmentRecord[]> {
    return this.shipmentsNewestFirst().filter((s) => repoKey(s.repo) === repoKey(repo) && s.toSha === toSha);
  }

  async shipmentsForTicket(key: string): Promise<ShipmentRecord[]> {
    return this.shipmentsNewestFirst().filter((s) => s.ticketKeys.includes(key));
  }

  async listShipments(filter: ShipmentFilter): Promise<{ items: ShipmentRecord[]; total: number }> {
    const matching = this.shipmentsNewestFirst().filter(
      (s) =>
        (filter.since === undefined || Date.parse(s.shippedAt) >= Date.parse(filter.since)) &&
        (filter.until === undefined || Date.parse(s.shippedAt) < Date.parse(filter.until)) &&
        (filter.repo === undefined || repoKey(s.repo) === repoKey(filter.repo)) &&
        (!filter.withProblemsOnly || shippedWithProblems(s)),
    );
    return { items: matching.slice(filter.offset, filter.offset + filter.limit), total: matching.length };
  }

  /** Seeds a protection review (the web pages only read them); its id is given by the store. */
  addProtectionReview(review: Omit<ProtectionReview, 'id'>): ProtectionReview {
    const full: ProtectionReview = { ...review, id: this.nextId++ };
    this.protectionReviews.push(full);
    return full;
  }

  async listProtectionReviewsForSha(repo: RepoRef, sha: string): Promise<ProtectionReview[]> {
    return this.protectionReviews.filter((r) => repoKey(r.repo) === repoKey(repo) && r.sha === sha).sort((a, b) => b.id - a.id);
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
