/**
 * Preloaded (`node --import`) into programs the tests fetch from npm and run, such as the MCP
 * Inspector CLI: a TCP or TLS connection to anything but loopback, or a DNS lookup of any other
 * name, fails at once and writes one line starting with `$SMCP_LOOPBACK_GUARD_MARK` to stderr, so a
 * test can both keep the program off the network and prove that it never tried. Unix sockets pass.
 */
import dns from 'node:dns';
import net from 'node:net';
import process from 'node:process';

/** The start of the line written for every refused attempt (the test that preloads this sets it). */
const MARK = process.env.SMCP_LOOPBACK_GUARD_MARK || 'smcp-loopback-guard: refused';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** True for names and addresses that stay on this machine (an unset host means localhost). */
function isLoopback(host) {
  if (host === undefined || host === null || host === '') return true;
  const name = String(host).toLowerCase();
  return LOOPBACK_NAMES.has(name) || /^127\.\d+\.\d+\.\d+$/.test(name) || name.startsWith('::ffff:127.');
}

function report(what) {
  process.stderr.write(`${MARK} ${what}\n`);
}

/** The options object of a Socket#connect call in any of its forms (port, host / options / normalized array). */
function connectOptions(args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (first !== null && typeof first === 'object') return first;
  return { port: first, host: typeof args[1] === 'string' ? args[1] : undefined };
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  const options = connectOptions(args);
  if (options.path === undefined && !isLoopback(options.host)) {
    report(`connection to ${String(options.host)}:${String(options.port)}`);
    process.nextTick(() => this.destroy(new Error(`loopback guard: ${String(options.host)} is off limits`)));
    return this;
  }
  return connect.apply(this, args);
};

const lookup = dns.lookup;
dns.lookup = function guardedLookup(hostname, ...rest) {
  if (!isLoopback(hostname)) {
    report(`DNS lookup of ${String(hostname)}`);
    const callback = rest.find((arg) => typeof arg === 'function');
    const error = Object.assign(new Error(`loopback guard: ${String(hostname)} is off limits`), {
      code: 'ENOTFOUND',
    });
    if (callback) process.nextTick(() => callback(error));
    return {};
  }
  return lookup.call(this, hostname, ...rest);
};

const lookupPromise = dns.promises.lookup;
dns.promises.lookup = function guardedLookupPromise(hostname, ...rest) {
  if (!isLoopback(hostname)) {
    report(`DNS lookup of ${String(hostname)}`);
    return Promise.reject(new Error(`loopback guard: ${String(hostname)} is off limits`));
  }
  return lookupPromise.call(this, hostname, ...rest);
};
