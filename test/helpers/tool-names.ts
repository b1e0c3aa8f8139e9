/** The tools smcp must serve, as the tests expect them (stated here, not read from src/). */
export const EXPECTED_TOOL_NAMES = [
  'list_databases',
  'list_schemas',
  'search_objects',
  'list_tables',
  'list_views',
  'describe_table',
  'describe_view',
  'query_view',
  'execute_query',
  'fetch_results',
  'query_status',
] as const;
