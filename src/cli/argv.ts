/**
 * The raw command-line arguments of this run, as the user typed them (after `smcp`). Commands
 * that hand their arguments on — `start` to the detached daemon, `call` to check for flags a
 * running daemon would ignore — read them here.
 */
let current: readonly string[] = [];

/** Records the arguments of this run; runCli calls it once. */
export function setCliArgv(argv: readonly string[]): void {
  current = [...argv];
}

/** The arguments of this run. */
export function cliArgv(): readonly string[] {
  return current;
}

/** The long option names (without `--`, before any `=`) present in the arguments, `--no-x` as `x`. */
export function givenOptionNames(argv: readonly string[] = current): Set<string> {
  const names = new Set<string>();
  for (const token of argv) {
    if (token === '--') break;
    if (!token.startsWith('--')) continue;
    const name = token.slice(2).split('=')[0] ?? '';
    names.add(name.startsWith('no-') ? name.slice(3) : name);
  }
  return names;
}

/** The arguments after the first `command` token (all of them when it is absent). */
export function afterCommand(argv: readonly string[], command: string): string[] {
  const at = argv.indexOf(command);
  return argv.slice(at + 1);
}
