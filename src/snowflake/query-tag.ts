/**
 * QUERY_TAG for every statement smcp runs: a small JSON object naming the app, the request, the
 * client and the tool, so a Snowflake admin can find smcp's queries in QUERY_HISTORY and tell
 * which MCP client and tool sent each one. Snowflake limits a tag to 2000 characters.
 */

/** Who asked for a statement. */
export interface QueryTagContext {
  readonly requestId: string;
  readonly clientId: string;
  readonly tool: string;
  readonly transport?: string;
  /**
   * Who the pool's fair share counts this statement against (a session, or a sessionless
   * caller); never part of the tag.
   */
  readonly clientKey?: string;
}

/** Snowflake's QUERY_TAG limit. */
export const QUERY_TAG_MAX = 2000;

/**
 * The tag for a request: `{"app":"smcp","req":…,"client":…,"tool":…,"transport":…}`. Long fields are
 * shortened (with "…") so the tag always fits in QUERY_TAG_MAX characters and stays valid JSON.
 */
export function buildQueryTag(context: QueryTagContext): string {
  const fields: [string, string | undefined][] = [
    ['req', context.requestId],
    ['client', context.clientId],
    ['tool', context.tool],
    ['transport', context.transport],
  ];
  for (let limit = 512; limit >= 8; limit = Math.floor(limit / 2)) {
    const tag: Record<string, string> = { app: 'smcp' };
    for (const [key, value] of fields) {
      if (value === undefined) continue;
      tag[key] = value.length > limit ? value.slice(0, limit - 1) + '…' : value;
    }
    const text = JSON.stringify(tag);
    if (text.length <= QUERY_TAG_MAX) return text;
  }
  return JSON.stringify({ app: 'smcp' });
}
