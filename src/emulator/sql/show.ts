/**
 * SHOW: dispatches on the object kind. DATABASES, SCHEMAS, WAREHOUSES and VARIABLES live here;
 * TABLES / OBJECTS / VIEWS / COLUMNS in show-objects.ts, PARAMETERS in show-parameters.ts.
 */
import type { ResultSet } from '../engine-types.js';
import { tableKey } from './catalog.js';
import type { StatementContext } from './context.js';
import { WAREHOUSES } from './context.js';
import { showColumns, showTables, showViews } from './show-objects.js';
import { showParameters } from './show-parameters.js';
import {
  HIDDEN_DB,
  HIDDEN_SCHEMA,
  START,
  finish,
  likeRegex,
  parseShowArgs,
  result,
  syntax,
  ts,
} from './show-common.js';
import type { Cell, ShowQuery } from './show-common.js';
import { stringValue } from './tokenizer.js';
import type { Token } from './tokenizer.js';
import { listVariables, variableType } from './variables.js';

const KINDS = new Set(['COLUMNS', 'OBJECTS', 'DATABASES', 'SCHEMAS', 'TABLES', 'VIEWS', 'WAREHOUSES']);

/** SHOW …: the object kind comes first in `sig` (after SHOW). */
export async function runShow(ctx: StatementContext, sig: Token[]): Promise<ResultSet> {
  let i = 0;
  if (sig[0]?.text.toUpperCase() === 'TERSE') i++;
  const objects = (sig[i]?.text ?? '').toUpperCase();
  if (objects === 'PARAMETERS') return showParameters(ctx, sig.slice(i + 1));
  if (objects === 'VARIABLES') return showVariables(ctx, sig.slice(i + 1));
  if (!KINDS.has(objects)) throw syntax(sig[i]);
  const args = await parseShowArgs(ctx, sig, i + 1, objects);
  const info = await ctx.catalog.objectInfo(ctx.pooled.conn);
  const { db, schema } = args.scope;
  const q: ShowQuery = {
    ctx,
    args,
    db,
    schema,
    info,
    created: (d, sch, name) => ts(info.get(tableKey(d, sch, name))?.created ?? START),
    where: (dbCol, schCol) =>
      `${dbCol} NOT IN ${HIDDEN_DB}${db ? ` AND ${dbCol} = '${db.replace(/'/g, "''")}'` : ''}${schCol ? ` AND ${schCol} NOT IN ${HIDDEN_SCHEMA}${schema ? ` AND ${schCol} = '${schema.replace(/'/g, "''")}'` : ''}` : ''}`,
  };
  switch (objects) {
    case 'DATABASES':
      return showDatabases(q);
    case 'SCHEMAS':
      return showSchemas(q);
    case 'TABLES':
    case 'OBJECTS':
      return showTables(q);
    case 'VIEWS':
      return showViews(q);
    case 'COLUMNS':
      return showColumns(q);
    default:
      return showWarehouses(q);
  }
}

/** SHOW VARIABLES [LIKE '…']: the session's variables. */
function showVariables(ctx: StatementContext, sig: Token[]): ResultSet {
  let like: RegExp | null = null;
  if ((sig[0]?.text ?? '').toUpperCase() === 'LIKE') {
    const t = sig[1];
    if (!t || (t.kind !== 'string' && t.kind !== 'dollar')) throw syntax(t);
    like = likeRegex(stringValue(t));
    if (sig.length > 2) throw syntax(sig[2]);
  } else if (sig.length > 0) throw syntax(sig[0]);
  const rows = listVariables(ctx.session)
    .filter((v) => !like || like.test(v.name))
    .map((v): Cell[] => [
      ctx.session.id,
      ts(v.created),
      ts(v.updated),
      v.name,
      v.text === null ? 'NULL' : v.text,
      variableType(v),
      '',
    ]);
  return result(['session_id', 'created_on', 'updated_on', 'name', 'value', 'type', 'comment'], rows, {
    session_id: 'fixed',
    created_on: 'timestamp_ltz',
    updated_on: 'timestamp_ltz',
  });
}

/** SHOW DATABASES. */
async function showDatabases(q: ShowQuery): Promise<ResultSet> {
  const { ctx, args, where } = q;
  const rows = await ctx.rows(
    `SELECT database_name, COALESCE(c.comment, d.comment) FROM duckdb_databases() d
       LEFT JOIN _SMCP.main.CONTAINER_COMMENTS c ON c.db = d.database_name AND c.sch IS NULL
       WHERE ${where('database_name', null)} ORDER BY 1`,
  );
  const out = rows.map((r): Cell[] => {
    const name = String(r[0]);
    return [
      ts(START),
      name,
      'N',
      name === ctx.session.database ? 'Y' : 'N',
      '',
      'ACCOUNTADMIN',
      r[1] === null ? '' : String(r[1]),
      '',
      '1',
      'STANDARD',
      null,
      'ROLE',
    ];
  });
  const cols = [
    'created_on',
    'name',
    'is_default',
    'is_current',
    'origin',
    'owner',
    'comment',
    'options',
    'retention_time',
    'kind',
    'budget',
    'owner_role_type',
  ];
  return result(cols, finish(args, out, 1), { created_on: 'timestamp_ltz' });
}

/** SHOW SCHEMAS. */
async function showSchemas(q: ShowQuery): Promise<ResultSet> {
  const { ctx, args, where, db } = q;
  const rows = await ctx.rows(
    `SELECT schema_name, database_name, COALESCE(c.comment, s.comment) FROM duckdb_schemas() s
       LEFT JOIN _SMCP.main.CONTAINER_COMMENTS c ON c.db = s.database_name AND c.sch = s.schema_name
       WHERE ${where('database_name', 'schema_name')} ORDER BY 2, 1`,
  );
  const dbs = db ? [db] : [...new Set(rows.map((r) => String(r[1])))];
  const all: Cell[][] = rows.map((r) => [String(r[0]), String(r[1]), r[2] === null ? '' : String(r[2])]);
  for (const d of dbs)
    all.push(['INFORMATION_SCHEMA', d, 'Views describing the contents of schemas in this database']);
  all.sort((a, b) => `${a[1] ?? ''}.${a[0] ?? ''}`.localeCompare(`${b[1] ?? ''}.${b[0] ?? ''}`));
  const out = all.map((r): Cell[] => {
    const current = r[1] === ctx.session.database && r[0] === ctx.session.schema ? 'Y' : 'N';
    return [
      ts(START),
      r[0] ?? '',
      'N',
      current,
      r[1] ?? '',
      r[0] === 'INFORMATION_SCHEMA' ? '' : 'ACCOUNTADMIN',
      r[2] ?? '',
      '',
      '1',
      'ROLE',
      null,
    ];
  });
  const cols = [
    'created_on',
    'name',
    'is_default',
    'is_current',
    'database_name',
    'owner',
    'comment',
    'options',
    'retention_time',
    'owner_role_type',
    'budget',
  ];
  return result(cols, finish(args, out, 1), { created_on: 'timestamp_ltz' });
}

/** SHOW WAREHOUSES. */
function showWarehouses(q: ShowQuery): ResultSet {
  const { ctx, args } = q;
  const out = WAREHOUSES.map((w): Cell[] => [
    w.name,
    w.state,
    'STANDARD',
    w.size,
    '1',
    '1',
    '0',
    '0',
    '0',
    w.name === ctx.session.warehouse ? 'true' : 'false',
    '600',
    'true',
    ts(START),
    'ACCOUNTADMIN',
    '',
    'ROLE',
  ]);
  const cols = [
    'name',
    'state',
    'type',
    'size',
    'min_cluster_count',
    'max_cluster_count',
    'started_clusters',
    'running',
    'queued',
    'is_current',
    'auto_suspend',
    'auto_resume',
    'created_on',
    'owner',
    'comment',
    'owner_role_type',
  ];
  return result(cols, finish(args, out, 0), { created_on: 'timestamp_ltz' });
}
