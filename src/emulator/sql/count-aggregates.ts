/**
 * COUNT and COUNT_IF answer Snowflake's NUMBER(18,0); DuckDB's BIGINT would reach the driver as
 * NUMBER(38,0). The call (with its FILTER and window, when written) is kept as DuckDB runs it and
 * cast to DECIMAL(18,0), which holds every BIGINT count a table here can reach.
 */
import type { AggregateRewrite } from './cast-types.js';
import { windowAt } from './fractional-aggregates.js';

const COUNTS: Readonly<Record<string, string>> = { COUNT: 'count', COUNT_IF: 'count_if' };

/**
 * COUNT(…) or COUNT_IF(…) called at `open`..`close`, with a following FILTER (…) and OVER …, as
 * DuckDB SQL typed DECIMAL(18,0), and the index after what it consumed; null for other functions.
 */
export const rewriteCountAggregate: AggregateRewrite = (w, name, open, close, to) => {
  const duck = COUNTS[name];
  if (duck === undefined) return null;
  let end = close + 1;
  let call = `${duck}${w.emit(open, end)}`;
  const filter = w.nextSig(close);
  const filterOpen = w.nextSig(filter);
  if (filter < to && w.upper(filter) === 'FILTER' && filterOpen < to && w.text(filterOpen) === '(') {
    end = w.closeOf(filterOpen) + 1;
    call += ` FILTER ${w.emit(filterOpen, end).trim()}`;
  }
  const window = windowAt(w, end, to);
  if (window) {
    call += window[0];
    end = window[1];
  }
  return [`CAST(${call} AS DECIMAL(18,0))`, end];
};
