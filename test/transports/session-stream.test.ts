import { expect } from 'chai';
import type { TestServer } from './helpers.js';
import { JSON_HEADERS, startTestServer, waitFor } from './helpers.js';
import { INITIALIZED_BODY, initializeBody, SESSION_PROTOCOL_VERSION } from '../helpers/mcp-messages.js';

/** One server-sent event as the wire carried it. */
interface SseEvent {
  readonly id?: string;
  readonly data: string;
}

/** The complete events in `text` (each ends with a blank line); comments are skipped. */
function parseEvents(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  for (const block of text.split('\n\n').slice(0, -1)) {
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('id: ')) id = line.slice(4);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (id === undefined && data.length === 0) continue;
    events.push({ ...(id !== undefined ? { id } : {}), data: data.join('\n') });
  }
  return events;
}

/** Reads `res`'s event stream until `enough` holds for the events so far (or the stream ends). */
async function readEventsUntil(res: Response, enough: (events: SseEvent[]) => boolean): Promise<SseEvent[]> {
  const reader: ReadableStreamDefaultReader<Uint8Array> = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const events = parseEvents(text);
    if (enough(events)) return events;
    const { done, value } = await reader.read();
    if (done) return parseEvents(text);
    text += decoder.decode(value, { stream: true });
  }
}

/** The JSON-RPC message an event carries (the priming event carries none). */
function messageOf(event: SseEvent): Record<string, unknown> {
  return JSON.parse(event.data) as Record<string, unknown>;
}

describe('Streamable HTTP sessions: event streams', () => {
  let srv: TestServer;
  const open: AbortController[] = [];

  before(async () => {
    srv = await startTestServer();
  });
  after(async () => {
    for (const ac of open) ac.abort();
    await srv.handle.close();
  });

  /** Opens a raw 2025-11-25 session and returns the headers its requests carry. */
  async function openSession(): Promise<Record<string, string>> {
    const init = await fetch(`${srv.handle.url}/mcp`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: initializeBody('stream-test'),
    });
    expect(init.status).to.equal(200);
    await init.text();
    const headers = {
      ...JSON_HEADERS,
      'mcp-session-id': init.headers.get('mcp-session-id')!,
      'mcp-protocol-version': SESSION_PROTOCOL_VERSION,
    };
    const initialized = await fetch(`${srv.handle.url}/mcp`, {
      method: 'POST',
      headers,
      body: INITIALIZED_BODY,
    });
    expect(initialized.status).to.equal(202);
    return headers;
  }

  function post(headers: Record<string, string>, body: unknown, signal?: AbortSignal): Promise<Response> {
    return fetch(`${srv.handle.url}/mcp`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      ...(signal ? { signal } : {}),
    });
  }

  /**
   * GET /mcp with `headers`, again while the answer is 409: the server learns that the client
   * dropped the stream's previous connection only when that connection closes, and until then a
   * second stream is a conflict. No event has to be written for it to notice.
   */
  async function getStream(headers: Record<string, string>): Promise<Response> {
    const ac = new AbortController();
    open.push(ac);
    for (let i = 0; ; i++) {
      const res = await fetch(`${srv.handle.url}/mcp`, { headers, signal: ac.signal });
      if (res.status !== 409 || i === 50) return res;
      await res.text();
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it("answers a session's call with the priming event, then the answer, in one SSE response", async () => {
    const headers = await openSession();
    const res = await post(headers, {
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: { name: 'echo', arguments: { text: 'primed' } },
    });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/event-stream/);
    expect(res.headers.get('mcp-session-id')).to.equal(headers['mcp-session-id']);
    const events = parseEvents(await res.text());
    expect(events).to.have.length(2);
    expect(events[0].id).to.be.a('string');
    expect(events[0].data).to.equal('');
    expect(events[1].id).to.be.a('string').and.not.equal(events[0].id);
    const answer = messageOf(events[1]);
    expect(answer.id).to.equal(7);
    expect(answer.result).to.deep.include({ content: [{ type: 'text', text: 'primed' }] });
  });

  it('replays what a dropped call stream carried when the client resumes with Last-Event-ID', async () => {
    const headers = await openSession();
    const dropped = new AbortController();
    const res = await post(
      headers,
      {
        jsonrpc: '2.0',
        id: 8,
        method: 'tools/call',
        params: {
          name: 'slow',
          arguments: { steps: 1000, intervalMs: 20, tag: 'resume-drop' },
          _meta: { progressToken: 'p8' },
        },
      },
      dropped.signal,
    );
    expect(res.status).to.equal(200);
    const seen = await readEventsUntil(res, (events) => events.length >= 3);
    dropped.abort();
    const [priming, ...progress] = seen;
    expect(priming.data).to.equal('');
    expect(progress.map((e) => messageOf(e).method)).to.deep.equal([
      'notifications/progress',
      'notifications/progress',
    ]);

    const again = await getStream({
      accept: 'text/event-stream',
      'mcp-session-id': headers['mcp-session-id'],
      'mcp-protocol-version': SESSION_PROTOCOL_VERSION,
      'last-event-id': priming.id!,
    });
    expect(again.status).to.equal(200);
    expect(again.headers.get('content-type')).to.match(/^text\/event-stream/);
    const replayed = await readEventsUntil(again, (events) => events.length >= progress.length);
    expect(replayed.slice(0, progress.length)).to.deep.equal(progress);
  });

  it('ends the session and its open GET stream on DELETE, and answers 404 after', async () => {
    const headers = await openSession();
    const streamHeaders = {
      accept: 'text/event-stream',
      'mcp-session-id': headers['mcp-session-id'],
      'mcp-protocol-version': SESSION_PROTOCOL_VERSION,
    };
    const ac = new AbortController();
    open.push(ac);
    const stream = await fetch(`${srv.handle.url}/mcp`, { headers: streamHeaders, signal: ac.signal });
    expect(stream.status).to.equal(200);
    const streamEnded = stream.text();
    const before = srv.handle.stats().httpSessions;

    const end = await fetch(`${srv.handle.url}/mcp`, { method: 'DELETE', headers: streamHeaders });
    expect(end.status).to.equal(200);
    expect(await streamEnded).to.equal('');
    await waitFor(() => srv.handle.stats().httpSessions === before - 1);

    const after = await post(headers, { jsonrpc: '2.0', id: 9, method: 'tools/list' });
    expect(after.status).to.equal(404);
    expect(((await after.json()) as { error: { code: number } }).error.code).to.equal(-32001);
  });

  it('lets the client open the GET stream again as soon as it dropped the last one', async () => {
    const headers = await openSession();
    const streamHeaders = {
      accept: 'text/event-stream',
      'mcp-session-id': headers['mcp-session-id'],
      'mcp-protocol-version': SESSION_PROTOCOL_VERSION,
    };
    const first = new AbortController();
    const stream = await fetch(`${srv.handle.url}/mcp`, { headers: streamHeaders, signal: first.signal });
    expect(stream.status).to.equal(200);
    first.abort();
    const again = await getStream(streamHeaders);
    expect(again.status).to.equal(200);
    expect(again.headers.get('content-type')).to.match(/^text\/event-stream/);
  });
});
