/**
 * Sizes as people write them in config.toml and on the command line: a whole number of bytes
 * (`1048576`) or a number with a unit, decimal (`10GB`, `500 MB`, `1.5TB`: powers of 1000) or
 * binary (`500MiB`, `10GiB`: powers of 1024). Snowflake reports bytes, so the result is bytes.
 */

const UNITS: Readonly<Record<string, number>> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  PB: 1e15,
  KIB: 2 ** 10,
  MIB: 2 ** 20,
  GIB: 2 ** 30,
  TIB: 2 ** 40,
  PIB: 2 ** 50,
};

const SIZE = /^(\d+(?:\.\d+)?)\s*([KMGTP]I?B|B)?$/i;

/** What a size must look like, for messages. */
export const BYTE_SIZE_EXPECTED = 'a size in bytes, or with a unit (e.g. 500MiB, 10GB, 1TiB; 0 for none)';

/**
 * Parses `value` (a number of bytes or a size text) into whole bytes (fractions round up), or
 * returns undefined when it is no size: negative, not finite, an unknown unit, or past 2^53.
 */
export function parseByteSize(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = SIZE.exec(value.trim());
  if (!match) return undefined;
  const unit = UNITS[(match[2] ?? 'B').toUpperCase()];
  if (unit === undefined) return undefined;
  const bytes = Math.ceil(Number(match[1]) * unit);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** `bytes` as a short readable size in binary units (`12.5 GiB`, `900 B`). */
export function formatByteSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  const text = i === 0 ? String(Math.round(value)) : value.toFixed(value < 10 ? 2 : 1).replace(/\.?0+$/, '');
  return `${text} ${units[i]}`;
}
