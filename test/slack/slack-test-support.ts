/** Shared helpers of the Slack tests: strict nock, a capturing pino logger, a hand-driven clock. */
import nock from 'nock';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { afterEach, beforeEach, expect } from 'vitest';

export const SLACK_API_URL = 'http://slack.test/api/';
export const SLACK_ORIGIN = 'http://slack.test';
export const SLACK_TOKEN = 'xoxb-test-token-never-logged';

/** Installs strict nock for the file: no real network, no unmatched request, no interceptor left unused. */
export function useStrictNock(): { unmatched: string[] } {
  const state = { unmatched: [] as string[] };
  const onNoMatch = (req: { method?: string; path?: string; href?: string }) => {
    state.unmatched.push(`${req.method ?? '?'} ${req.href ?? req.path ?? '?'}`);
  };
  beforeEach(() => {
    state.unmatched.length = 0;
    nock.disableNetConnect();
    nock.emitter.on('no match', onNoMatch);
  });
  afterEach(() => {
    nock.emitter.removeListener('no match', onNoMatch);
    nock.cleanAll();
    nock.enableNetConnect();
  });
  return state;
}

/** Asserts every interceptor was used and no request went unmatched. */
export function expectNockDone(state: { unmatched: string[] }): void {
  expect(state.unmatched).toEqual([]);
  expect(nock.pendingMocks()).toEqual([]);
  expect(nock.isDone()).toBe(true);
}

/** A form-encoded Slack request body as an object (blocks and metadata JSON-decoded). */
export function slackForm(body: unknown): Record<string, unknown> {
  const fields: Record<string, unknown> = typeof body === 'string' ? Object.fromEntries(new URLSearchParams(body)) : { ...(body as Record<string, unknown>) };
  for (const k of ['blocks', 'metadata']) {
    if (typeof fields[k] === 'string') fields[k] = JSON.parse(fields[k] as string);
  }
  return fields;
}

export interface CapturedLogger {
  readonly logger: Logger;
  readonly lines: () => Record<string, unknown>[];
  readonly raw: () => string;
}

export function captureLogger(): CapturedLogger {
  const chunks: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => void chunks.push(s) });
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    raw: () => chunks.join(''),
  };
}

export interface ManualClock {
  now(): Date;
  set(iso: string): void;
  advance(ms: number): void;
}

export function manualClock(start = '2024-05-02T14:05:00.000Z'): ManualClock {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    set: (iso) => {
      t = Date.parse(iso);
    },
    advance: (ms) => {
      t += ms;
    },
  };
}
