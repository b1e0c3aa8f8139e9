import { expect } from 'chai';
import { lazyWebRequest } from '../../src/transports/lazy-web-request.js';

function headers(): Headers {
  const h = new Headers();
  h.set('content-type', 'application/json');
  h.set('mcp-protocol-version', '2026-07-28');
  return h;
}

describe('lazyWebRequest', () => {
  it('answers method, URL, headers and signal as a Request would', () => {
    const controller = new AbortController();
    const request = lazyWebRequest({
      url: 'http://127.0.0.1:8000/mcp',
      method: 'POST',
      headers: headers(),
      signal: () => controller.signal,
    });
    expect(request).to.be.instanceOf(Request);
    expect(request.method).to.equal('POST');
    expect(request.url).to.equal('http://127.0.0.1:8000/mcp');
    expect(request.headers.get('mcp-protocol-version')).to.equal('2026-07-28');
    expect(request.signal.aborted).to.equal(false);
    controller.abort(new Error('gone'));
    expect(request.signal.aborted).to.equal(true);
  });

  it('makes its signal only when it is read, once', () => {
    let made = 0;
    const request = lazyWebRequest({
      url: 'http://localhost/mcp',
      method: 'POST',
      headers: headers(),
      signal: () => {
        made++;
        return new AbortController().signal;
      },
    });
    expect(request.headers.get('content-type')).to.equal('application/json');
    expect(made).to.equal(0);
    expect(request.signal).to.equal(request.signal);
    expect(made).to.equal(1);
  });

  it('gives a signal that never aborts when none was given', () => {
    const request = lazyWebRequest({ url: 'http://localhost/mcp', method: 'POST', headers: headers() });
    expect(request.signal).to.be.instanceOf(AbortSignal);
    expect(request.signal.aborted).to.equal(false);
    expect(request.signal).to.equal(request.signal);
  });

  it('answers every other member from a real Request built on first use', async () => {
    const controller = new AbortController();
    const request = lazyWebRequest({
      url: 'http://localhost/mcp?x=1',
      method: 'POST',
      headers: headers(),
      signal: () => controller.signal,
    });
    expect(request.mode).to.equal(new Request('http://localhost/').mode);
    expect(request.bodyUsed).to.equal(false);
    expect(request.body).to.equal(null);
    expect(await request.text()).to.equal('');
    const copy = request.clone();
    expect(copy).to.not.equal(request);
    expect(copy.url).to.equal('http://localhost/mcp?x=1');
    expect(copy.headers.get('content-type')).to.equal('application/json');
    controller.abort();
    expect(copy.signal.aborted).to.equal(true);
    expect(Object.prototype.toString.call(request)).to.equal('[object Request]');
  });
});
