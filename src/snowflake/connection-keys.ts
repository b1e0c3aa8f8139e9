/**
 * The keys Snowflake's connectors accept in a connection table of connections.toml (or
 * `[connections.<name>]` in config.toml), so smcp can tell a typo (`acount`) from a setting another
 * tool uses and smcp passes over (`login_timeout`). Taken from the connectors' own parameter lists:
 * the Python connector's `connect()` parameters (which the Snowflake CLI uses), snowflake-sdk's
 * connection options (it turns snake_case keys into its camelCase options) and gosnowflake's
 * connections.toml reader (which compares keys in lower case without underscores). Keys are
 * compared the way gosnowflake does, so `private_key_file`, `privateKeyFile` and `privatekeyfile`
 * are one key.
 */

import { SmcpError } from '../errors.js';

/** `Private_Key_File` → `privatekeyfile`: the form keys are compared in. */
export function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[_-]/g, '');
}

/**
 * Every connection key the connectors document, in their own spelling, as words: one group per
 * connector.
 */
const CONNECTOR_KEYS: readonly string[] = [
  // Python connector (and the Snowflake CLI, which adds private_key_path and private_key_raw).
  `account user password host port protocol region database schema warehouse role
   secondary_roles authenticator dsn application private_key private_key_file
   private_key_file_pwd private_key_passphrase private_key_path private_key_raw token
   token_file_path passcode passcode_in_password login_timeout network_timeout socket_timeout
   external_browser_timeout client_session_keep_alive
   client_session_keep_alive_heartbeat_frequency server_session_keep_alive
   client_prefetch_threads client_fetch_threads client_fetch_use_mp
   client_store_temporary_credential client_request_mfa_token session_parameters autocommit
   timezone paramstyle numpy arrow_number_to_decimal service_name session_id session_token
   master_token master_validity_in_seconds external_session_id proxy_host proxy_port proxy_user
   proxy_password no_proxy disable_ocsp_checks insecure_mode ocsp_fail_open
   ocsp_response_cache_filename ocsp_root_certs_dict_lock_timeout cert_revocation_check_mode
   allow_certificates_without_crl_url enable_crl_cache enable_crl_file_cache crl_cache_dir
   crl_cache_validity_hours crl_cache_removal_delay_days crl_cache_cleanup_interval_hours
   crl_cache_start_cleanup crl_connection_timeout_ms crl_read_timeout_ms crl_download_max_size
   validate_default_parameters probe_connection consent_cache_id_token support_negative_year
   log_max_query_length disable_request_pooling use_openssl_only reuse_results
   interpolate_empty_sequences enable_connection_diag connection_diag_log_path
   connection_diag_whitelist_path connection_diag_allowlist_path
   log_imported_packages_in_telemetry disable_query_context_cache
   json_result_force_utf8_decoding enable_retry_reason_in_query_response disable_console_login
   debug_arrow_chunk disable_saml_url_check enable_stage_s3_privatelink_for_us_east_1
   iobound_tpe_limit check_arrow_conversion_error_on_every_column unsafe_file_write
   unsafe_skip_file_permissions_check platform_detection_timeout_seconds
   reraise_error_in_file_transfer_work_function internal_application_name
   internal_application_version inject_client_pause oauth_client_id oauth_client_secret
   oauth_authorization_url oauth_token_request_url oauth_redirect_uri oauth_scope
   oauth_disable_pkce oauth_enable_refresh_tokens oauth_enable_single_use_refresh_tokens
   oauth_credentials_in_body oauth_socket_uri workload_identity_provider
   workload_identity_entra_resource workload_identity_impersonation_path
   workload_identity_aws_use_outbound_token`,
  // snowflake-sdk (Node.js) options beyond the Python ones.
  `access_url username private_key_pass query_tag row_mode stream_result fetch_as_string
   js_treat_integer_as_big_int session_token_expiration_time master_token_expiration_time
   array_binding_threshold gcs_use_downscoped_credential force_stage_bind_error
   include_retry_reason retry_timeout represent_null_as_string_null browser_action_timeout
   browser_redirect_port credential_cache_dir oauth_challenge_method oauth_http_allowed
   workload_identity_azure_entra_id_resource workload_identity_azure_client_id
   crl_allow_certificates_without_crl_url crl_in_memory_cache crl_on_disk_cache
   row_stream_high_water_mark proxy_protocol use_connection_config_proxy_for_ocsp
   client_config_file timeout result_prefetch sf_retry_max_login_retries
   sf_retry_max_num_retries sf_retry_starting_sleep_time sf_retry_max_sleep_time
   result_chunk_cache_size result_stream_interrupts large_result_set_retry_max_num_retries
   large_result_set_retry_max_sleep_time result_processing_batch_size
   result_processing_batch_duration`,
  // gosnowflake's connections.toml reader.
  `client_timeout jwt_client_timeout request_timeout jwt_timeout max_retry_count tracing
   tmp_dir_path connection_diagnostics_enabled connection_diagnostics_allowlist_file
   use_connection_config_proxy_for_http disable_env_proxy`,
  // JDBC/ODBC spellings seen in shared connections.toml files.
  `db query_timeout`,
].flatMap((group) => group.split(/\s+/));

/** Keys whose value is a secret: a file holding one must not be readable by others. */
const SECRET_KEYS = [
  'password',
  'token',
  'passcode',
  'private_key',
  'private_key_raw',
  'private_key_file_pwd',
  'private_key_passphrase',
  'private_key_pass',
  'private_key_pwd',
  'oauth_client_secret',
  'proxy_password',
  'session_token',
  'master_token',
] as const;

const KNOWN: ReadonlyMap<string, string> = new Map(CONNECTOR_KEYS.map((key) => [normalizeKey(key), key]));
const SECRET: ReadonlySet<string> = new Set(SECRET_KEYS.map(normalizeKey));

/** True when some Snowflake connector accepts `key` in a connection table. */
export function isConnectorKey(key: string): boolean {
  return KNOWN.has(normalizeKey(key));
}

/** True when `key` holds a secret (password, token, private key or its passphrase, …). */
export function isSecretKey(key: string): boolean {
  return SECRET.has(normalizeKey(key));
}

/**
 * Edit distance between two strings where swapping two neighbouring letters counts once
 * (`passwrod` is one step from `password`): the optimal string alignment distance.
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, rows[i - 2][j - 2] + 1);
      }
      rows[i][j] = best;
    }
  }
  return rows[a.length][b.length];
}

/** How many edits still make a typo rather than another word, by the length of the key. */
function typoBudget(length: number): number {
  if (length <= 4) return 1;
  return length <= 12 ? 2 : 3;
}

/**
 * The connector key `key` is most likely a misspelling of, or undefined when `key` is a connector
 * key itself or no key is within a few edits of it (then it may be a setting of a tool smcp does
 * not know, or a Snowflake session parameter, which gosnowflake accepts in a connection table).
 */
export function closestConnectorKey(key: string): string | undefined {
  const wanted = normalizeKey(key);
  if (KNOWN.has(wanted)) return undefined;
  const budget = typoBudget(wanted.length);
  let best: { key: string; distance: number } | undefined;
  for (const [normalized, spelled] of KNOWN) {
    const distance = editDistance(wanted, normalized);
    if (distance <= budget && (best === undefined || distance < best.distance)) {
      best = { key: spelled, distance };
    }
  }
  return best?.key;
}

/** A key of a connection table that smcp does not use, and whether a connector knows it. */
export interface PassedOverKey {
  readonly key: string;
  /** True for a key some connector uses (`login_timeout`), false for one none documents. */
  readonly known: boolean;
}

/**
 * Checks the keys of one connection table. Throws CONFIG_INVALID for a key that is a few edits
 * from a connector key (a typo: `~/.snowflake/connections.toml [prod]: unknown key "acount" (did
 * you mean "account"?)`). Returns the keys smcp passes over: those other tools use, and those too
 * far from any known key to be a typo (settings of tools smcp does not know).
 */
export function reviewConnectionKeys(
  values: Readonly<Record<string, unknown>>,
  label: string,
  details: { readonly file: string },
  usedBySmcp: (key: string) => boolean,
): PassedOverKey[] {
  const passedOver: PassedOverKey[] = [];
  for (const key of Object.keys(values)) {
    if (usedBySmcp(key)) continue;
    if (isConnectorKey(key)) {
      passedOver.push({ key, known: true });
      continue;
    }
    const closest = closestConnectorKey(key);
    if (closest !== undefined) {
      throw new SmcpError('CONFIG_INVALID', `${label}: unknown key "${key}" (did you mean "${closest}"?)`, {
        file: details.file,
        field: key,
      });
    }
    passedOver.push({ key, known: false });
  }
  return passedOver;
}
