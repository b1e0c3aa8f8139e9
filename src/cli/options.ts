/** Validation of command-line values shared by several commands; failures name the flag. */
import { SmcpError } from '../errors.js';

/** Returns `port` if it is a whole number 0–65535, else throws USAGE naming `flag`. */
export function checkPort(port: unknown, flag = '--port'): number {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new SmcpError('USAGE', `${flag} must be a whole number from 0 to 65535, got ${String(port)}`, {
      field: flag,
    });
  }
  return port;
}

/** True for the loopback names and addresses smcp binds to by default. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Resolves when the process gets SIGINT or SIGTERM; the handlers are removed afterwards. */
export function waitForStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
