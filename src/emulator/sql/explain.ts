/**
 * EXPLAIN [USING TABULAR | JSON | TEXT] <statement>, answered in Snowflake's shapes: GlobalStats
 * (partitionsTotal, partitionsAssigned, bytesAssigned) and the plan's operations, with TableScan
 * operations naming the tables read. DuckDB plans the statement (EXPLAIN (FORMAT JSON), nothing
 * runs) and says which tables it scans, through views too; each scan of a table is estimated at the
 * table's storage size as SHOW TABLES reports it (DuckDB's row count × columns × 8 bytes), in
 * partitions of 16 MiB (Snowflake's micro-partitions hold about that much compressed). The emulator
 * prunes nothing: every partition of a scanned table is assigned. A statement that reads no table
 * estimates 0.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import type { ColumnMeta, ResultSet } from '../engine-types.js';
import type { StatementContext } from './context.js';
import { StaticResultSet } from './result-set.js';
import { syntaxError } from './sql-errors.js';
import { STATEMENT_TYPE } from './statement-types.js';
import { isSignificant } from './tokenizer.js';
import type { Token } from './tokenizer.js';

/** Bytes per micro-partition the estimate assumes. */
export const PARTITION_BYTES = 16 * 1024 * 1024;

/** Snowflake's partition and byte counts of a plan or one scan. */
export interface ScanFigures {
  partitionsTotal: number;
  partitionsAssigned: number;
  bytesAssigned: number;
}

/** One operation of the plan, as Snowflake lists it. */
interface Operation {
  id: number;
  parentOperators?: number[];
  operation: string;
  objects?: string[];
  expressions?: string[];
  partitionsTotal?: number;
  partitionsAssigned?: number;
  bytesAssigned?: number;
}

/** A node of DuckDB's JSON plan. */
interface PlanNode {
  name?: string;
  children?: PlanNode[];
  extra_info?: Record<string, unknown>;
}

/** Snowflake's names for DuckDB's operators (others keep DuckDB's, capitalised). */
const OPERATIONS: Readonly<Record<string, string>> = {
  SEQ_SCAN: 'TableScan',
  TABLE_SCAN: 'TableScan',
  FILTER: 'Filter',
  PROJECTION: 'Projection',
  HASH_JOIN: 'Join',
  NESTED_LOOP_JOIN: 'Join',
  PIECEWISE_MERGE_JOIN: 'Join',
  CROSS_PRODUCT: 'CartesianJoin',
  HASH_GROUP_BY: 'Aggregate',
  PERFECT_HASH_GROUP_BY: 'Aggregate',
  UNGROUPED_AGGREGATE: 'Aggregate',
  ORDER_BY: 'Sort',
  TOP_N: 'SortWithLimit',
  LIMIT: 'Limit',
  STREAMING_LIMIT: 'Limit',
  UNION: 'UnionAll',
  WINDOW: 'WindowFunction',
};

/** `EXPLAIN …`? */
export function isExplain(words: readonly string[]): boolean {
  return words[0] === 'EXPLAIN';
}

/** The output format and the explained statement's tokens. */
function parseExplain(tokens: Token[]): { format: 'TABULAR' | 'JSON' | 'TEXT'; inner: Token[] } {
  const sig = tokens.filter(isSignificant);
  let next = 1;
  let format: 'TABULAR' | 'JSON' | 'TEXT' = 'TABULAR';
  if (sig[1]?.kind === 'word' && sig[1].text.toUpperCase() === 'USING') {
    const named = sig[2]?.kind === 'word' ? sig[2].text.toUpperCase() : '';
    if (named !== 'TABULAR' && named !== 'JSON' && named !== 'TEXT') {
      throw syntaxError(1, sig[2]?.start ?? sig[1].start, sig[2]?.text ?? '<EOF>');
    }
    format = named;
    next = 3;
  }
  const first = sig[next];
  if (!first) throw syntaxError(1, sig[sig.length - 1]?.start ?? 0, '<EOF>');
  return { format, inner: tokens.slice(tokens.indexOf(first)) };
}

/**
 * Sizes of tables by DuckDB's dotted name (`DB.SCHEMA.TABLE`, as its plan names them): the storage
 * size SHOW TABLES and INFORMATION_SCHEMA.TABLES report (rows × columns × 8 bytes), so a full scan
 * estimates what those list.
 */
async function tableSizes(ctx: StatementContext, names: readonly string[]): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  if (names.length === 0) return sizes;
  const marks = names.map(() => '?').join(', ');
  const rows = await ctx.rows(
    `SELECT database_name || '.' || schema_name || '.' || table_name, estimated_size * column_count * 8
       FROM duckdb_tables() WHERE database_name || '.' || schema_name || '.' || table_name IN (${marks})`,
    names as DuckDBValue[],
  );
  for (const [name, bytes] of rows) sizes.set(String(name), Number(bytes ?? 0));
  return sizes;
}

function figuresOf(bytes: number): ScanFigures {
  const partitions = Math.ceil(bytes / PARTITION_BYTES);
  return { partitionsTotal: partitions, partitionsAssigned: partitions, bytesAssigned: bytes };
}

function textList(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value.map(String);
  return typeof value === 'string' && value !== '' ? value.split('\n') : undefined;
}

/** Snowflake's operations for DuckDB's plan under a Result operation; scans carry their figures. */
function operationsOf(plan: PlanNode[], sizes: Map<string, number>): Operation[] {
  const ops: Operation[] = [{ id: 0, operation: 'Result' }];
  const visit = (node: PlanNode, parent: number): void => {
    const info = node.extra_info ?? {};
    const table = typeof info.Table === 'string' ? info.Table : undefined;
    const name = (node.name ?? '').trim();
    const op: Operation = {
      id: ops.length,
      parentOperators: [parent],
      operation: table
        ? 'TableScan'
        : (OPERATIONS[name] ??
          name.toLowerCase().replace(/(^|_)(\w)/g, (_, __, c: string) => c.toUpperCase())),
    };
    if (table) op.objects = [table];
    const expressions = textList(info.Projections) ?? textList(info.Expressions) ?? textList(info.Conditions);
    if (expressions) op.expressions = expressions;
    if (table) Object.assign(op, figuresOf(sizes.get(table) ?? 0));
    ops.push(op);
    for (const child of node.children ?? []) visit(child, op.id);
  };
  for (const root of plan) visit(root, 0);
  return ops;
}

/** The tables DuckDB's plan scans, once each. */
function scannedTables(plan: PlanNode[]): string[] {
  const names = new Set<string>();
  const walk = (node: PlanNode): void => {
    const table = node.extra_info?.Table;
    if (typeof table === 'string') names.add(table);
    for (const child of node.children ?? []) walk(child);
  };
  plan.forEach(walk);
  return [...names];
}

function column(name: string, type: 'text' | 'fixed'): ColumnMeta {
  return {
    name,
    type,
    nullable: true,
    precision: type === 'fixed' ? 38 : null,
    scale: type === 'fixed' ? 0 : null,
    length: type === 'text' ? 16777216 : null,
    byteLength: type === 'text' ? 16777216 : null,
  };
}

const TABULAR_COLUMNS: readonly [string, 'text' | 'fixed'][] = [
  ['step', 'fixed'],
  ['id', 'fixed'],
  ['parentOperators', 'text'],
  ['operation', 'text'],
  ['objects', 'text'],
  ['alias', 'text'],
  ['expressions', 'text'],
  ['partitionsTotal', 'fixed'],
  ['partitionsAssigned', 'fixed'],
  ['bytesAssigned', 'fixed'],
];

function tabular(global: ScanFigures, ops: Operation[]): ResultSet {
  const n = (v: number | undefined): string | null => (v === undefined ? null : String(v));
  const rows: (string | null)[][] = [
    [null, null, null, 'GlobalStats', null, null, null, ...figureCells(global)],
    ...ops.map((op) => [
      '1',
      String(op.id),
      op.parentOperators ? `[${op.parentOperators.join(', ')}]` : null,
      op.operation,
      op.objects?.join(', ') ?? null,
      null,
      op.expressions?.join(', ') ?? null,
      n(op.partitionsTotal),
      n(op.partitionsAssigned),
      n(op.bytesAssigned),
    ]),
  ];
  const columns = TABULAR_COLUMNS.map(([name, type]) => column(name, type));
  return new StaticResultSet(columns, rows, STATEMENT_TYPE.SELECT);
}

function figureCells(f: ScanFigures): string[] {
  return [String(f.partitionsTotal), String(f.partitionsAssigned), String(f.bytesAssigned)];
}

function text(global: ScanFigures, ops: Operation[]): string {
  const lines = [
    'GlobalStats:',
    `    partitionsTotal=${global.partitionsTotal}`,
    `    partitionsAssigned=${global.partitionsAssigned}`,
    `    bytesAssigned=${global.bytesAssigned}`,
    'Operations:',
  ];
  const depth = new Map<number, number>([[0, 0]]);
  for (const op of ops) {
    const level = op.parentOperators ? (depth.get(op.parentOperators[0] ?? 0) ?? 0) + 1 : 0;
    depth.set(op.id, level);
    const parts = [`1:${op.id}`.padEnd(8), `${' '.repeat(level * 4)}->${op.operation}`];
    if (op.objects) parts.push(` ${op.objects.join(', ')}`);
    if (op.expressions) parts.push(`  ${op.expressions.join(', ')}`);
    if (op.bytesAssigned !== undefined) {
      parts.push(
        `  {partitionsTotal=${op.partitionsTotal}, partitionsAssigned=${op.partitionsAssigned}, bytesAssigned=${op.bytesAssigned}}`,
      );
    }
    lines.push(parts.join(''));
  }
  return `${lines.join('\n')}\n`;
}

/** True for a statement with parts the emulator runs itself rather than DuckDB. */
function answeredByEmulator(tokens: Token[]): boolean {
  return tokens.some(
    (t) =>
      t.kind === 'word' &&
      /^(SYSTEM\$\w+|GENERATOR|FLATTEN|RESULT_SCAN|SPLIT_TO_TABLE|LAST_QUERY_ID)$/i.test(t.text),
  );
}

/**
 * Answers `EXPLAIN [USING …] <statement>` (see the file comment); `rewrite` turns the explained
 * statement's Snowflake tokens into DuckDB SQL. Nothing of the statement runs.
 */
export async function runExplain(
  ctx: StatementContext,
  tokens: Token[],
  rewrite: (tokens: Token[]) => string,
): Promise<ResultSet> {
  const { format, inner } = parseExplain(tokens);
  await ctx.applySearchPath();
  let planRows: unknown[][];
  try {
    planRows = await ctx.rows(`EXPLAIN (FORMAT JSON) ${rewrite(inner)}`);
  } catch (err) {
    // Statements the emulator answers itself (SYSTEM$WAIT, table functions, RESULT_SCAN) are not
    // DuckDB text on their own: they scan no stored table, so they are estimated at nothing.
    if (!answeredByEmulator(inner)) throw err;
    planRows = [];
  }
  const planText = planRows.find((r) => String(r[0]) === 'physical_plan')?.[1];
  const plan = JSON.parse(typeof planText === 'string' ? planText : '[]') as PlanNode[];
  const sizes = await tableSizes(ctx, scannedTables(plan));
  const ops = operationsOf(plan, sizes);
  const global: ScanFigures = { partitionsTotal: 0, partitionsAssigned: 0, bytesAssigned: 0 };
  for (const op of ops) {
    global.partitionsTotal += op.partitionsTotal ?? 0;
    global.partitionsAssigned += op.partitionsAssigned ?? 0;
    global.bytesAssigned += op.bytesAssigned ?? 0;
  }
  if (format === 'TABULAR') return tabular(global, ops);
  const content =
    format === 'JSON' ? JSON.stringify({ GlobalStats: global, Operations: [ops] }) : text(global, ops);
  return new StaticResultSet([column('content', 'text')], [[content]], STATEMENT_TYPE.SELECT);
}
