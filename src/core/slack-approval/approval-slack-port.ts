/** What POST /slack/interactions needs from Slack besides the poster: user group members and ephemeral notes. */
export interface ApprovalSlackClient {
  /** User ids (U…/W…) in the user group (S…). Throws when Slack cannot answer (the caller refuses then). */
  userGroupMembers(groupId: string): Promise<readonly string[]>;
  /** A note only `user` sees in `channel` (chat.postEphemeral). Throws when Slack refuses. */
  postEphemeral(channel: string, user: string, text: string): Promise<void>;
}
