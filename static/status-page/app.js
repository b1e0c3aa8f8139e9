// The status page's script: polls GET /ui/state and draws it. Everything the server sends is
// written with textContent (or as SVG coordinates it computed itself), never parsed as HTML:
// tool names, client ids, error messages and outcomes come from the wire.
'use strict';

(function () {
  const POLL_MS = 1000;
  const csrfMeta = document.querySelector('meta[name="smcp-csrf"]');
  const csrfToken = csrfMeta ? csrfMeta.getAttribute('content') : '';
  const cancelling = new Set();

  const $ = (id) => document.getElementById(id);

  function setText(id, value) {
    const node = $(id);
    if (node) node.textContent = value === undefined || value === null ? '–' : String(value);
  }

  function cell(text, className) {
    const td = document.createElement('td');
    td.textContent = text === undefined || text === null ? '' : String(text);
    if (className) td.className = className;
    return td;
  }

  function ms(value) {
    if (typeof value !== 'number') return '–';
    if (value < 1000) return `${Math.round(value)} ms`;
    if (value < 60000) return `${(value / 1000).toFixed(1)} s`;
    return `${Math.floor(value / 60000)} min ${Math.round((value % 60000) / 1000)} s`;
  }

  function seconds(value) {
    if (typeof value !== 'number') return '–';
    const h = Math.floor(value / 3600);
    const m = Math.floor((value % 3600) / 60);
    const s = value % 60;
    return h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${s} s` : `${s} s`;
  }

  function mib(bytes) {
    return typeof bytes === 'number' ? `${(bytes / 1048576).toFixed(1)} MiB` : '–';
  }

  /** Fills a <dl> with one pair per key (sorted), or a single "none" line. */
  function pairs(id, record) {
    const dl = $(id);
    const entries = Object.entries(record || {}).sort(([a], [b]) => a.localeCompare(b));
    const nodes = [];
    for (const [key, value] of entries) {
      const dt = document.createElement('dt');
      dt.textContent = key;
      const dd = document.createElement('dd');
      dd.textContent = String(value);
      dd.dataset.key = key;
      nodes.push(dt, dd);
    }
    if (nodes.length === 0) {
      const dt = document.createElement('dt');
      dt.textContent = 'none';
      nodes.push(dt, document.createElement('dd'));
    }
    dl.replaceChildren(...nodes);
  }

  function showProblem(text) {
    const p = $('problem');
    p.textContent = text || '';
    p.hidden = !text;
  }

  async function cancel(requestId, button) {
    cancelling.add(requestId);
    button.disabled = true;
    button.textContent = 'cancelling…';
    try {
      const res = await fetch('/ui/cancel', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-Smcp-Csrf': csrfToken },
        body: JSON.stringify({ requestId }),
      });
      if (!res.ok) {
        const body = await res.json().catch(() => ({}));
        const message = body && body.error && body.error.message ? body.error.message : `HTTP ${res.status}`;
        showProblem(`Cancel refused: ${message}`);
        cancelling.delete(requestId);
      }
    } catch (err) {
      showProblem(`Cancel failed: ${String(err)}`);
      cancelling.delete(requestId);
    }
  }

  function drawInFlight(calls) {
    const rows = calls.map((call) => {
      const tr = document.createElement('tr');
      tr.dataset.requestId = call.requestId;
      tr.append(
        cell(call.tool || '(no tool)'),
        cell(call.clientId),
        cell(call.transport),
        cell(ms(call.durationMs), 'num'),
      );
      const td = document.createElement('td');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'cancel';
      const busy = cancelling.has(call.requestId);
      button.textContent = busy ? 'cancelling…' : 'Cancel';
      button.disabled = busy;
      button.addEventListener('click', () => cancel(call.requestId, button));
      td.append(button);
      tr.append(td);
      return tr;
    });
    $('in-flight').replaceChildren(...rows);
    $('in-flight-empty').hidden = rows.length > 0;
    const running = new Set(calls.map((c) => c.requestId));
    for (const id of cancelling) if (!running.has(id)) cancelling.delete(id);
  }

  function drawRecent(calls) {
    const rows = calls.map((call) => {
      const tr = document.createElement('tr');
      const ended = new Date(call.endedAt);
      tr.append(
        cell(Number.isNaN(ended.getTime()) ? '' : ended.toLocaleTimeString()),
        cell(call.tool),
        cell(call.transport),
        cell(call.outcome, call.outcome === 'ok' ? 'outcome-ok' : 'outcome-failed'),
        cell(ms(call.durationMs), 'num'),
        cell(call.rows === undefined ? '' : call.rows, 'num'),
      );
      return tr;
    });
    $('recent').replaceChildren(...rows);
    $('recent-empty').hidden = rows.length > 0;
  }

  /** Latency of the recent calls, oldest to newest, as a polyline in a 300 × 60 box. */
  function drawSparkline(calls) {
    const values = calls.map((c) => c.durationMs).reverse();
    const line = $('spark-line');
    if (values.length === 0) {
      line.setAttribute('points', '');
      setText('spark-last', '–');
      setText('spark-max', '–');
      setText('spark-p50', '–');
      return;
    }
    const max = Math.max(1, ...values);
    const step = values.length > 1 ? 300 / (values.length - 1) : 0;
    const points = values.map((v, i) => `${(i * step).toFixed(1)},${(58 - (v / max) * 54).toFixed(1)}`);
    if (values.length === 1) points.push(`300,${points[0].split(',')[1]}`);
    line.setAttribute('points', points.join(' '));
    const sorted = [...values].sort((a, b) => a - b);
    setText('spark-last', ms(values[values.length - 1]));
    setText('spark-max', ms(sorted[sorted.length - 1]));
    setText('spark-p50', ms(sorted[Math.floor((sorted.length - 1) / 2)]));
  }

  function draw(state) {
    const status = state.status || {};
    const badge = $('state');
    badge.textContent = status.status || 'unknown';
    badge.dataset.state = status.status || 'unknown';
    const where = [...new Set([status.backend, status.connection].filter(Boolean))];
    if (status.sampleData === true) where.push('sample data');
    setText('backend', where.join(' · ') || '–');
    setText('version', status.server && status.server.version);
    setText('uptime', seconds(status.uptimeSeconds));
    setText('in-flight-count', (status.inFlight || []).length);
    setText('completed', status.completedRequests);
    pairs('sessions', status.sessions);
    const connections = status.connections || {};
    setText('conn-http', connections.http);
    setText('conn-sse', connections.sse);
    setText('conn-websocket', connections.websocket);
    const db = status.database || {};
    $('db-health').dataset.ok = String(db.ok === true);
    setText('db-state', db.ok === true ? 'healthy' : db.ok === false ? 'unhealthy' : 'unknown');
    setText('db-latency', ms(db.lastLatencyMs));
    setText('db-failures', db.consecutiveFailures);
    const dbError = db.lastError;
    setText(
      'db-error',
      !dbError ? '' : typeof dbError === 'string' ? dbError : dbError.message || JSON.stringify(dbError),
    );
    const pool = status.pool || {};
    setText('pool-size', pool.size);
    setText('pool-borrowed', pool.borrowed);
    setText('pool-pending', pool.pending);
    setText('pool-max', pool.max);
    const memory = status.memory || {};
    setText('mem-rss', mib(memory.rssBytes));
    setText('mem-heap', mib(memory.heapUsedBytes));
    setText('mem-native', mib(memory.nativeBytes));
    drawInFlight(status.inFlight || []);
    const recent = state.recentCalls || [];
    drawRecent(recent);
    drawSparkline(recent);
    pairs('outcomes', state.outcomes);
    pairs('refusals', state.refusals);
    setText('updated', `updated ${new Date().toLocaleTimeString()}`);
  }

  async function refresh() {
    try {
      const res = await fetch('/ui/state', { credentials: 'same-origin', cache: 'no-store' });
      if (!res.ok) {
        const body = await res.json().catch(() => ({}));
        throw new Error(body && body.error && body.error.message ? body.error.message : `HTTP ${res.status}`);
      }
      draw(await res.json());
      if (!$('problem').textContent.startsWith('Cancel')) showProblem('');
    } catch (err) {
      const badge = $('state');
      badge.textContent = 'unreachable';
      badge.dataset.state = 'unreachable';
      showProblem(`The daemon does not answer: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setTimeout(refresh, POLL_MS);
    }
  }

  void refresh();
})();
