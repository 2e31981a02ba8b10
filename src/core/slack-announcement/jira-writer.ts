/**
 * The port through which a deploy writes back to JIRA (config `jira.onDeploy`). Implemented over JIRA Cloud
 * (REST v3: the comment body must be sent as ADF) and Data Center (REST v2: a plain string) outside this folder.
 * Every method rejects on failure (HTTP error, permission, workflow refusal); the caller turns that into a note.
 */

export interface JiraTransition {
  readonly id: string;
  /** Transition name, e.g. "Release". */
  readonly name: string;
  /** Name of the status the transition leads to, e.g. "Released"; null when JIRA did not say. */
  readonly toStatus: string | null;
}

export interface JiraWriter {
  /** Adds a comment. `text` is plain text: paragraphs separated by blank lines, URLs written out in full. */
  addComment(key: string, text: string): Promise<void>;
  /** The transitions the workflow allows from the ticket's current status, for the app's user. */
  getTransitions(key: string): Promise<readonly JiraTransition[]>;
  transition(key: string, transitionId: string): Promise<void>;
}
