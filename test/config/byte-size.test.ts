import { expect } from 'chai';
import { mcpSettingsFrom } from '../../src/cli/serve-options.js';
import type { McpFlagArgs } from '../../src/cli/serve-options.js';
import { formatByteSize, parseByteSize } from '../../src/config/byte-size.js';
import { optionSpec } from '../../src/config/options/table.js';
import { SmcpError } from '../../src/errors.js';

/** The flags of a tool command with nothing given but `extra`. */
function flags(extra: Partial<McpFlagArgs>): McpFlagArgs {
  return { allowWrite: false, allowDdl: false, ...extra };
}

describe('byte sizes', () => {
  it('reads bytes, decimal and binary units, with or without a space, any case', () => {
    expect(parseByteSize('1048576')).to.equal(1048576);
    expect(parseByteSize(0)).to.equal(0);
    expect(parseByteSize('10GB')).to.equal(10_000_000_000);
    expect(parseByteSize('500MiB')).to.equal(500 * 2 ** 20);
    expect(parseByteSize('1.5 kib')).to.equal(1536);
    expect(parseByteSize('2 TiB')).to.equal(2 * 2 ** 40);
    expect(parseByteSize('7b')).to.equal(7);
  });

  it('refuses what is no size', () => {
    for (const bad of ['', '-1', '10 GX', 'ten', '1e3', '10G', '1.5.2MB', -3, 1.5, '99999999PiB', null]) {
      expect(parseByteSize(bad), String(bad)).to.equal(undefined);
    }
  });

  it('says sizes briefly in binary units', () => {
    expect(formatByteSize(900)).to.equal('900 B');
    expect(formatByteSize(10 * 2 ** 30)).to.equal('10 GiB');
    expect(formatByteSize(32_000_000)).to.equal('30.5 MiB');
  });

  it('lets config.toml give budgets as bytes or sizes, and names what it expects otherwise', () => {
    const schema = optionSpec('max-scan-bytes').config!.schema;
    expect(schema.safeParse('10GiB').success).to.equal(true);
    expect(schema.safeParse(1024).success).to.equal(true);
    expect(schema.safeParse('lots').success).to.equal(false);
    expect(schema.safeParse(-1).success).to.equal(false);
    expect(optionSpec('cost-guard').config!.schema.safeParse('ask').success).to.equal(false);
  });

  it('turns the cost guard flags into settings in bytes, and names a bad flag', () => {
    const settings = mcpSettingsFrom(
      flags({ costGuard: 'confirm', maxScanBytes: '500MiB', maxScanBytesPerClient: '0' }),
    );
    expect(settings).to.include({
      costGuard: 'confirm',
      maxScanBytes: 500 * 2 ** 20,
      maxScanBytesPerClient: 0,
    });
    const defaults = mcpSettingsFrom(flags({}));
    expect([defaults.costGuard, defaults.maxScanBytes, defaults.maxScanBytesPerClient]).to.deep.equal([
      'auto',
      undefined,
      undefined,
    ]);
    for (const [extra, flag] of [
      [{ maxScanBytes: '10 parsecs' }, '--max-scan-bytes'],
      [{ maxScanBytesPerClient: '-5GB' }, '--max-scan-bytes-per-client'],
      [{ costGuard: 'ask' }, '--cost-guard'],
    ] as const) {
      let error: unknown;
      try {
        mcpSettingsFrom(flags(extra));
      } catch (err) {
        error = err;
      }
      expect(error, flag).to.be.instanceOf(SmcpError);
      expect((error as SmcpError).code).to.equal('USAGE');
      expect((error as SmcpError).details.field).to.equal(flag);
      expect((error as SmcpError).message).to.match(new RegExp(`^${flag} must be`));
    }
  });
});
