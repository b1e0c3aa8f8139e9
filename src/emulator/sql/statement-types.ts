/**
 * Snowflake statement type ids (ResultSet.statementTypeId), as Snowflake and snowflake-sdk use them:
 * 0x1000 select, 0x3xxx DML, 0x4xxx session commands (SCL), 0x5xxx transactions, 0x6xxx DDL.
 */

/** The ids the engine reports. */
export const STATEMENT_TYPE = {
  SELECT: 0x1000,
  DML: 0x3000,
  INSERT: 0x3100,
  UPDATE: 0x3200,
  DELETE: 0x3300,
  MERGE: 0x3400,
  MULTI_INSERT: 0x3500,
  COPY: 0x3600,
  SCL: 0x4000,
  ALTER_SESSION: 0x4100,
  USE: 0x4300,
  SHOW: 0x4400,
  DESCRIBE: 0x4500,
  TCL: 0x5000,
  BEGIN: 0x5100,
  COMMIT: 0x5200,
  ROLLBACK: 0x5300,
  DDL: 0x6000,
} as const;

/** Snowflake QUERY_TYPE names for the history, by leading keyword. */
export function queryTypeOf(firstWord: string, secondWord: string): string {
  switch (firstWord) {
    case 'SELECT':
    case 'WITH':
    case 'VALUES':
    case 'FROM':
    case 'TABLE':
      return 'SELECT';
    case 'INSERT':
    case 'UPDATE':
    case 'DELETE':
    case 'MERGE':
    case 'COMMIT':
    case 'ROLLBACK':
    case 'SHOW':
    case 'USE':
    case 'TRUNCATE':
      return firstWord;
    case 'BEGIN':
    case 'START':
      return 'BEGIN_TRANSACTION';
    case 'DESC':
    case 'DESCRIBE':
      return 'DESCRIBE';
    case 'ALTER':
      return secondWord === 'SESSION' ? 'ALTER_SESSION' : `ALTER_${secondWord}`;
    case 'CREATE':
      return secondWord === 'OR' ? 'CREATE' : `CREATE_${secondWord}`;
    case 'DROP':
      return `DROP_${secondWord}`;
    default:
      return 'UNKNOWN';
  }
}
