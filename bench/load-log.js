// Preloaded with `node --import ./bench/load-log.js`: records the URL of every module the process
// loads (ESM and CommonJS) in the file named by SMCP_LOAD_LOG, one per line, so a benchmark can
// say what a command loaded. Registers itself as the module hooks (Node >= 20.6).
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';
import process from 'node:process';
import { isMainThread } from 'node:worker_threads';

let file;

/** Hooks thread: learns where to write. */
export function initialize(data) {
  file = data.file;
}

/** Hooks thread: logs each module as it loads. */
export async function load(url, context, nextLoad) {
  if (file) appendFileSync(file, `${url}\n`);
  return nextLoad(url, context);
}

if (isMainThread && process.env.SMCP_LOAD_LOG) {
  register(import.meta.url, { data: { file: process.env.SMCP_LOAD_LOG } });
}
