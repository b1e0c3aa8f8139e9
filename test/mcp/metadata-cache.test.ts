/** The metadata cache's own rules: freshness, the object bound with eviction, shared and dropped loads. */
import { expect } from 'chai';
import { MetadataCache } from '../../src/mcp/metadata-cache.js';

function clockedCache(
  ttlSeconds: number,
  maxObjects: number,
): { cache: MetadataCache; advance(s: number): void } {
  let now = 0;
  return {
    cache: new MetadataCache({ ttlSeconds, maxObjects, now: () => now }),
    advance: (s) => {
      now += s * 1000;
    },
  };
}

const list = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const size = (v: number[]): number => v.length;

describe('metadata cache', () => {
  it('answers a fresh entry without loading, with its age, and loads again past the TTL', async () => {
    const clock = clockedCache(60, 10_000);
    const { cache } = clock;
    let loads = 0;
    const load = (): Promise<number[]> => Promise.resolve(list(++loads));
    expect(await cache.get('k', size, load)).to.deep.equal({ value: [0], ageSeconds: 0 });
    clock.advance(59);
    expect(await cache.get('k', size, load)).to.deep.equal({ value: [0], ageSeconds: 59 });
    clock.advance(1);
    expect(await cache.get('k', size, load)).to.deep.equal({ value: [0, 1], ageSeconds: 0 });
    expect(cache.status()).to.include({ hits: 1, misses: 2, objects: 2, entries: 1 });
  });

  it('holds at most its object limit, dropping the least recently used entries', async () => {
    const { cache } = clockedCache(300, 1000);
    await cache.get('a', size, () => Promise.resolve(list(400)));
    await cache.get('b', size, () => Promise.resolve(list(400)));
    await cache.get('a', size, () => Promise.reject(new Error('a is cached'))); // a is now most recent
    await cache.get('c', size, () => Promise.resolve(list(400)));
    const status = cache.status();
    expect(status).to.include({ objects: 800, entries: 2, evictions: 1 });
    let reloaded = false;
    await cache.get('b', size, () => {
      reloaded = true;
      return Promise.resolve(list(1));
    });
    expect(reloaded, 'b was evicted').to.equal(true);
    // An answer larger than the whole budget is answered but not kept.
    const huge = await cache.get('h', size, () => Promise.resolve(list(5000)));
    expect(huge.value).to.have.length(5000);
    expect(cache.status().objects).to.be.at.most(1000);
  });

  it('shares one load between concurrent readers and keeps nothing of a failed one', async () => {
    const { cache } = clockedCache(300, 10_000);
    let loads = 0;
    let release: (v: number[]) => void = () => undefined;
    const slow = (): Promise<number[]> => {
      loads++;
      return new Promise((resolve) => (release = resolve));
    };
    const both = Promise.all([cache.get('k', size, slow), cache.get('k', size, slow)]);
    release([1, 2]);
    const [a, b] = await both;
    expect(loads).to.equal(1);
    expect(a.value).to.equal(b.value);
    let failed = '';
    await cache
      .get('f', size, () => Promise.reject(new Error('boom')))
      .catch((e: Error) => (failed = e.message));
    expect(failed).to.equal('boom');
    expect(cache.status().entries).to.equal(1);
  });

  it('does not keep a load that an invalidation overtook', async () => {
    const { cache } = clockedCache(300, 10_000);
    let release: (v: number[]) => void = () => undefined;
    const pending = cache.get('k', size, () => new Promise((resolve) => (release = resolve)));
    cache.invalidate();
    release([1]);
    expect((await pending).value).to.deep.equal([1]);
    expect(cache.status()).to.include({ entries: 0, objects: 0, invalidations: 1 });
  });

  it('keeps nothing with a TTL of 0', async () => {
    const { cache } = clockedCache(0, 10_000);
    await cache.get('k', size, () => Promise.resolve([1]));
    expect(cache.status().entries).to.equal(0);
  });
});
