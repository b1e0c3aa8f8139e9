/**
 * Snowflake's division on DuckDB, as a macro named "/" (DuckDB resolves operators through the
 * function catalog, so a macro in memory.main, which every search path ends with, takes the place
 * of its own `/`):
 * - dividing by zero fails with 100051 "Division by zero" (DuckDB answers NULL or infinity);
 * - fixed-point operands give a fixed-point result with Snowflake's scale, the numerator's scale
 *   plus 6 (integer / integer → NUMBER(38, 6): 7 / 2 = 3.500000), rounded; DuckDB would answer a
 *   DOUBLE. The leading digits are those of NUMBER(38, s), which holds Snowflake's L1 + S2.
 * - a floating-point operand keeps the result floating point.
 * The quotient is computed in double precision and then rounded to that scale: exact to about 15
 * significant digits. Snowflake caps the scale at 12 (for numerators of scale ≤ 6 the same).
 */

/**
 * The type template of a quotient: `a * 1.000000` has the numerator's scale plus 6 (or is DOUBLE),
 * `+ b * 0` makes it DOUBLE when the denominator is, `+ 0::DECIMAL(38,0)` widens it to 38 digits
 * (coalesce: a NULL literal has no type to give); cast_to_type gives the quotient that type.
 */
const TEMPLATE = '(coalesce(a * 1.000000 * 0, 0.000000) + coalesce(b * 0, 0) + CAST(0 AS DECIMAL(38,0)))';

/** `CREATE MACRO` statements for arithmetic, run once when the engine starts. */
export const ARITHMETIC_MACROS: readonly string[] = [
  // The template sits in a CASE that is never true: only its type is used, so DuckDB folds it
  // away instead of computing it for every row (a 1M-row division costs about what DuckDB's own does).
  `CREATE MACRO "/"(a, b) AS cast_to_type(
     CASE WHEN b = 0 THEN error('Division by zero') ELSE divide(CAST(a AS DOUBLE), CAST(b AS DOUBLE)) END,
     CASE WHEN false THEN ${TEMPLATE} END)`,
];
