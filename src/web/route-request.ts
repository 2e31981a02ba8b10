/** The shape every route handler has (web-routes.ts) and the path parameters they share. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RepoRef } from '../core/domain.js';
import type { WebContext } from './web-context.js';

export interface RouteRequest {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  /** Path parameters as they appear in the URL (still percent-encoded). */
  readonly params: Readonly<Record<string, string>>;
}

export type RouteHandler = (ctx: WebContext, request: RouteRequest) => Promise<void> | void;

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;
export const SHA = /^[0-9a-fA-F]{4,64}$/;

export function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** The :owner/:repo parameters as a repository, or null when they cannot name one. */
export function repoParam(params: Readonly<Record<string, string>>): RepoRef | null {
  const owner = decodeSegment(params['owner'] ?? '');
  const repo = decodeSegment(params['repo'] ?? '');
  if (owner === null || repo === null || !OWNER.test(owner) || !REPO.test(repo) || repo === '.' || repo === '..') {
    return null;
  }
  return { owner, repo };
}
