/**
 * Deterministic sample data for the emulator, generated at start with DuckDB's range() (no
 * extensions, no files), through the engine's own Snowflake SQL path.
 *
 * Databases, schemas and objects (names are stable; tests and MCP tools rely on them):
 * - SAMPLE_DB.SALES
 *   - CUSTOMERS (1,000 rows): CUSTOMER_ID NUMBER(38,0), NAME, EMAIL, COUNTRY, SEGMENT, SIGNUP_DATE DATE,
 *     LIFETIME_VALUE NUMBER(12,2), IS_ACTIVE BOOLEAN, PROFILE OBJECT
 *   - ORDERS (100,000 rows): ORDER_ID, CUSTOMER_ID, ORDER_DATE DATE, ORDERED_AT TIMESTAMP_NTZ, STATUS,
 *     AMOUNT NUMBER(12,2), DISCOUNT FLOAT, ITEMS ARRAY
 *   - EVENTS (exactly 1,000,000 rows, narrow): ID NUMBER(38,0), TS TIMESTAMP_NTZ, KIND VARCHAR(16), AMOUNT NUMBER(10,2)
 *   - views V_CUSTOMER_ORDERS (one row per order with the customer's name/country), V_DAILY_REVENUE (per day)
 * - SAMPLE_DB.TYPES
 *   - ALL_TYPES (4 rows, the last all NULL except ID): every Snowflake type, incl. BIG_NUM = 12345678901234567890
 *     (NUMBER(38,0), beyond 2^53), TIMESTAMP_NTZ/LTZ/TZ (TS_TZ offsets +02:00, -05:00, +05:30), TIME, BINARY,
 *     VARIANT, OBJECT, ARRAY
 *   - view V_ALL_TYPES
 * - SAMPLE_DB.HR: DEPARTMENTS (5 rows), EMPLOYEES (50 rows), view V_EMPLOYEE_DIRECTORY
 * - ANALYTICS.PUBLIC: KPI_DAILY (365 rows, 2024), view V_KPI_SUMMARY (per month)
 * - ANALYTICS.REPORTING: view V_TOP_CUSTOMERS (top 10 customers by revenue, over SAMPLE_DB)
 * - SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY (created by the engine, not here)
 */

import { SmcpError } from '../../errors.js';
import { GeneratedCatalog } from './generated-catalog.js';

/** Runs one SQL text (several statements allowed) as the engine's system session. */
export type SampleRunner = (sql: string) => Promise<void>;

/** Databases, schemas and the EVENTS table, which the rest and EVENTS_ROWS fill in at once. */
const SCHEMAS = String.raw`
CREATE DATABASE SAMPLE_DB COMMENT = 'Sample data of the smcp emulator';
CREATE SCHEMA SAMPLE_DB.SALES COMMENT = 'Customers, orders and a million events';
CREATE SCHEMA SAMPLE_DB.TYPES COMMENT = 'One column of every Snowflake type';
CREATE SCHEMA SAMPLE_DB.HR COMMENT = 'Employees and departments';
CREATE TABLE SAMPLE_DB.SALES.EVENTS (
  ID NUMBER(38,0) NOT NULL COMMENT 'Event key, 1..1000000',
  TS TIMESTAMP_NTZ COMMENT 'When it happened',
  KIND VARCHAR(16) COMMENT 'view, click, cart or purchase',
  AMOUNT NUMBER(10,2) COMMENT 'Money involved, if any'
) COMMENT = 'A million narrow events';
`;

/** Every other table, its rows, and the views. */
const DDL = String.raw`
CREATE TABLE SAMPLE_DB.SALES.CUSTOMERS (
  CUSTOMER_ID NUMBER(38,0) NOT NULL COMMENT 'Customer key',
  NAME VARCHAR(100) COMMENT 'Display name',
  EMAIL VARCHAR COMMENT 'Contact e-mail',
  COUNTRY VARCHAR(2) COMMENT 'ISO country code',
  SEGMENT VARCHAR(20) COMMENT 'RETAIL, SMB or ENTERPRISE',
  SIGNUP_DATE DATE COMMENT 'Day the customer signed up',
  LIFETIME_VALUE NUMBER(12,2) COMMENT 'Revenue to date',
  IS_ACTIVE BOOLEAN COMMENT 'Still a customer',
  PROFILE OBJECT COMMENT 'Free-form attributes'
) COMMENT = 'One row per customer';
INSERT INTO SAMPLE_DB.SALES.CUSTOMERS
SELECT i, 'Customer ' || lpad(i::VARCHAR, 4, '0'), 'customer' || i || '@example.com',
  ['US', 'DE', 'FR', 'GB', 'JP', 'BR', 'IN'][1 + i % 7], ['RETAIL', 'SMB', 'ENTERPRISE'][1 + i % 3],
  DATE '2020-01-01' + (i * 7 % 1500)::INTEGER, round((i * 37 % 10000) + (i % 100) * 0.01, 2), i % 10 <> 0,
  json_object('tier', ['gold', 'silver', 'bronze'][1 + i % 3], 'newsletter', i % 2 = 0)
FROM range(1, 1001) t(i);

CREATE TABLE SAMPLE_DB.SALES.ORDERS (
  ORDER_ID NUMBER(38,0) NOT NULL COMMENT 'Order key',
  CUSTOMER_ID NUMBER(38,0) COMMENT 'References CUSTOMERS',
  ORDER_DATE DATE COMMENT 'Day of the order',
  ORDERED_AT TIMESTAMP_NTZ COMMENT 'Moment of the order (no time zone)',
  STATUS VARCHAR(10) COMMENT 'NEW, SHIPPED, DELIVERED or RETURNED',
  AMOUNT NUMBER(12,2) COMMENT 'Order total',
  DISCOUNT FLOAT COMMENT 'Discount rate',
  ITEMS ARRAY COMMENT 'Product codes'
) COMMENT = 'One row per order';
INSERT INTO SAMPLE_DB.SALES.ORDERS
SELECT i, 1 + (i * 7919) % 1000, DATE '2023-01-01' + (i % 730)::INTEGER,
  TIMESTAMP '2023-01-01 00:00:00' + to_seconds((i % 730) * 86400 + (i * 97) % 86400),
  ['NEW', 'SHIPPED', 'DELIVERED', 'RETURNED'][1 + i % 4], ((i * 7907) % 100000) * 0.01, (i % 5) * 0.05,
  CASE WHEN i % 3 = 0 THEN '["A-1","B-2"]' ELSE '["C-' || (i % 10) || '"]' END
FROM range(1, 100001) t(i);


CREATE VIEW SAMPLE_DB.SALES.V_CUSTOMER_ORDERS COMMENT = 'Orders with their customer' AS
SELECT o.ORDER_ID, o.ORDER_DATE, o.STATUS, o.AMOUNT, c.CUSTOMER_ID, c.NAME AS CUSTOMER_NAME, c.COUNTRY
FROM SAMPLE_DB.SALES.ORDERS o JOIN SAMPLE_DB.SALES.CUSTOMERS c ON c.CUSTOMER_ID = o.CUSTOMER_ID;
CREATE VIEW SAMPLE_DB.SALES.V_DAILY_REVENUE COMMENT = 'Revenue per day' AS
SELECT ORDER_DATE, COUNT(*) AS ORDER_COUNT, SUM(AMOUNT) AS REVENUE FROM SAMPLE_DB.SALES.ORDERS GROUP BY ORDER_DATE;

CREATE TABLE SAMPLE_DB.TYPES.ALL_TYPES (
  ID NUMBER(38,0) NOT NULL COMMENT 'Row key',
  NUM NUMBER(38,0), BIG_NUM NUMBER(38,0) COMMENT 'Beyond 2^53', DEC NUMBER(10,2), FLT FLOAT, STR VARCHAR(50),
  TXT STRING, BOOL BOOLEAN, DT DATE, TM TIME, TS_NTZ TIMESTAMP_NTZ, TS_LTZ TIMESTAMP_LTZ, TS_TZ TIMESTAMP_TZ,
  BIN BINARY, VAR VARIANT, OBJ OBJECT, ARR ARRAY
) COMMENT = 'Every Snowflake type, and a row of NULLs';
INSERT INTO SAMPLE_DB.TYPES.ALL_TYPES VALUES
  (1, 42, 12345678901234567890, 12.34, 3.5, 'hello', 'Grüße, 世界', TRUE, '2024-02-29', '13:45:30.123456',
   '2024-02-29 13:45:30.123456', '2024-02-29 13:45:30.123456+00:00', '2024-02-29 13:45:30.123456 +02:00'::TIMESTAMP_TZ,
   from_hex('DEADBEEF'), '{"a":1,"b":[1,2]}', '{"name":"smcp","ok":true}', '[1,"two",null]'),
  (2, -7, -12345678901234567890, -0.5, -1e10, '', 'line1\nline2', FALSE, '1969-12-31', '00:00:00',
   '1969-12-31 23:59:59.5', '1970-01-01 00:00:00+00:00', '1999-12-31 23:00:00 -05:00'::TIMESTAMP_TZ,
   from_hex(''), '"just a string"', '{}', '[]'),
  (3, 0, 9007199254740993, 0.01, 0.1, 'quote''s', 'tab	here', TRUE, '2000-01-01', '23:59:59.999999',
   '2000-01-01 00:00:00', '2000-01-01 00:00:00+00:00', '2000-01-01 05:30:00+05:30'::TIMESTAMP_TZ,
   from_hex('00FF'), '3.14', '{"nested":{"x":1}}', '[[1,2],[3]]'),
  (4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
CREATE VIEW SAMPLE_DB.TYPES.V_ALL_TYPES COMMENT = 'All columns of ALL_TYPES' AS SELECT * FROM SAMPLE_DB.TYPES.ALL_TYPES;

CREATE TABLE SAMPLE_DB.HR.DEPARTMENTS (
  DEPARTMENT_ID NUMBER(38,0) NOT NULL COMMENT 'Department key', NAME VARCHAR(50) COMMENT 'Department name',
  LOCATION VARCHAR(50) COMMENT 'City'
) COMMENT = 'Departments';
INSERT INTO SAMPLE_DB.HR.DEPARTMENTS VALUES (1, 'Engineering', 'Berlin'), (2, 'Sales', 'New York'),
  (3, 'Marketing', 'Paris'), (4, 'Finance', 'London'), (5, 'Support', 'Tokyo');
CREATE TABLE SAMPLE_DB.HR.EMPLOYEES (
  EMPLOYEE_ID NUMBER(38,0) NOT NULL COMMENT 'Employee key', FIRST_NAME VARCHAR(50), LAST_NAME VARCHAR(50),
  DEPARTMENT_ID NUMBER(38,0) COMMENT 'References DEPARTMENTS', MANAGER_ID NUMBER(38,0) COMMENT 'NULL for the top',
  HIRED_ON DATE, SALARY NUMBER(10,2) COMMENT 'Yearly salary', UPDATED_AT TIMESTAMP_LTZ
) COMMENT = 'Employees';
INSERT INTO SAMPLE_DB.HR.EMPLOYEES
SELECT i, ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Ken', 'Frances', 'Niklaus'][1 + i % 10],
  ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Hamilton', 'Thompson', 'Allen', 'Wirth'][1 + (i * 3) % 10],
  1 + i % 5, CASE WHEN i <= 5 THEN NULL ELSE 1 + i % 5 END, DATE '2015-03-01' + (i * 61)::INTEGER,
  50000 + (i * 1373) % 70000, TIMESTAMPTZ '2024-06-01 09:00:00+00' + to_minutes(i * 17)
FROM range(1, 51) t(i);
CREATE VIEW SAMPLE_DB.HR.V_EMPLOYEE_DIRECTORY COMMENT = 'Who works where' AS
SELECT e.EMPLOYEE_ID, e.FIRST_NAME || ' ' || e.LAST_NAME AS FULL_NAME, d.NAME AS DEPARTMENT, d.LOCATION, e.HIRED_ON
FROM SAMPLE_DB.HR.EMPLOYEES e LEFT JOIN SAMPLE_DB.HR.DEPARTMENTS d ON d.DEPARTMENT_ID = e.DEPARTMENT_ID;

CREATE DATABASE ANALYTICS COMMENT = 'Derived metrics';
CREATE SCHEMA ANALYTICS.REPORTING COMMENT = 'Report-ready views';
CREATE TABLE ANALYTICS.PUBLIC.KPI_DAILY (
  DAY DATE NOT NULL COMMENT 'Calendar day', VISITORS NUMBER(38,0), SIGNUPS NUMBER(38,0), REVENUE NUMBER(14,2),
  CONVERSION_RATE FLOAT COMMENT 'SIGNUPS / VISITORS'
) COMMENT = 'Key figures per day of 2024';
INSERT INTO ANALYTICS.PUBLIC.KPI_DAILY
SELECT DATE '2024-01-01' + i::INTEGER, 1000 + (i * 37) % 500, 20 + (i * 13) % 40, 10000 + ((i * 7919) % 500000) * 0.01,
  (20 + (i * 13) % 40) / (1000.0 + (i * 37) % 500)
FROM range(0, 365) t(i);
CREATE VIEW ANALYTICS.PUBLIC.V_KPI_SUMMARY COMMENT = 'KPIs per month' AS
SELECT DATE_TRUNC('month', DAY) AS MONTH, SUM(VISITORS) AS VISITORS, SUM(SIGNUPS) AS SIGNUPS, SUM(REVENUE) AS REVENUE
FROM ANALYTICS.PUBLIC.KPI_DAILY GROUP BY 1;
CREATE VIEW ANALYTICS.REPORTING.V_TOP_CUSTOMERS COMMENT = 'Top 10 customers by revenue' AS
SELECT c.CUSTOMER_ID, c.NAME, SUM(o.AMOUNT) AS REVENUE
FROM SAMPLE_DB.SALES.ORDERS o JOIN SAMPLE_DB.SALES.CUSTOMERS c ON c.CUSTOMER_ID = o.CUSTOMER_ID
GROUP BY c.CUSTOMER_ID, c.NAME ORDER BY REVENUE DESC LIMIT 10
`;

/** The million EVENTS rows: the one statement worth running beside the rest. */
const EVENTS_ROWS = String.raw`
INSERT INTO SAMPLE_DB.SALES.EVENTS
SELECT i, TIMESTAMP '2024-01-01 00:00:00' + to_seconds(i * 30), ['view', 'click', 'cart', 'purchase'][1 + i % 4],
  CASE WHEN i % 4 = 3 THEN ((i * 31) % 50000) * 0.01 END
FROM range(1, 1000001) t(i);
`;

/**
 * Creates the sample databases (about 1.1M rows in total). The EVENTS rows are generated on a
 * second connection while the rest is created: DuckDB works on both at once, which takes about a
 * quarter off emulator start.
 */
export async function loadSampleData(run: SampleRunner): Promise<void> {
  await run(SCHEMAS);
  await Promise.all([run(DDL), run(EVENTS_ROWS)]);
}

/**
 * Creates the databases and schemas of a generated catalog of `size` tables and returns it (its
 * tables are metadata answered by SHOW and DESCRIBE). Throws SmcpError CONFIG_INVALID for a size
 * that is not an integer from 1 to 1,000,000.
 */
export async function loadGeneratedCatalog(size: number, run: SampleRunner): Promise<GeneratedCatalog> {
  if (!Number.isInteger(size) || size < 1 || size > 1_000_000) {
    throw new SmcpError('CONFIG_INVALID', `catalogSize must be an integer from 1 to 1000000, got ${size}`, {
      field: 'catalogSize',
    });
  }
  const catalog = new GeneratedCatalog(size);
  await run(catalog.ddl());
  return catalog;
}
