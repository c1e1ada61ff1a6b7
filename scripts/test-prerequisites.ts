/**
 * What `npm test` needs beside node_modules: Debian's chromium (the browser tests), mosquitto
 * (the broker tests) and socat (the virtual meter on a pseudo-terminal). Run first by `npm test`:
 * as root with apt-get it installs what is missing; otherwise it stops at once with the command
 * to run, rather than letting a test fail half an hour later (docs/testing.md#prerequisites: a
 * missing prerequisite fails loudly with what to install).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** What the checks may look at and do; tests pass a fake one. */
export interface Machine {
  env: Record<string, string | undefined>;
  /** Whether this path is an executable file. */
  executable(path: string): boolean;
  isRoot: boolean;
  /** Runs a command with its output on ours; returns its exit code. */
  run(command: string, args: readonly string[]): number;
  log(line: string): void;
}

export type Decision =
  | { kind: 'ready' }
  | { kind: 'install'; packages: string[] }
  | { kind: 'stop'; packages: string[]; command: string }
  /** A path variable names a program that is not there: installing a package cannot fix that. */
  | { kind: 'misconfigured'; problems: string[] };

function onPath(m: Machine, name: string): boolean {
  return (m.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && m.executable(join(dir, name)));
}

/** The variables the e2e harness and the broker tests read instead of Debian's paths. */
const PATH_VARIABLES = ['CHROMIUM_PATH', 'MOSQUITTO_PATH'] as const;

/** Set path variables that name nothing executable. */
function misconfigured(m: Machine): string[] {
  return PATH_VARIABLES.flatMap((name) => {
    const path = m.env[name];
    return path && !m.executable(path) ? [`${name} is ${path}, which is not an executable file.`] : [];
  });
}

/** The Debian packages whose programs are missing (where no path variable points elsewhere). */
export function missingPackages(m: Machine): string[] {
  const missing: string[] = [];
  if (!m.env.CHROMIUM_PATH && !m.executable('/usr/bin/chromium')) missing.push('chromium');
  if (!m.env.MOSQUITTO_PATH && !onPath(m, 'mosquitto') && !m.executable('/usr/sbin/mosquitto'))
    missing.push('mosquitto');
  if (!onPath(m, 'socat')) missing.push('socat');
  return missing;
}

export function installCommand(packages: readonly string[], asRoot: boolean): string {
  const install = `apt-get update -qq && apt-get install -y -qq --no-install-recommends ${packages.join(' ')}`;
  return asRoot ? install : `sudo sh -c '${install}'`;
}

/** Install only when it can work unattended: as root, with apt-get. */
export function decide(m: Machine): Decision {
  const problems = misconfigured(m);
  if (problems.length) return { kind: 'misconfigured', problems };
  const packages = missingPackages(m);
  if (!packages.length) return { kind: 'ready' };
  if (m.isRoot && onPath(m, 'apt-get')) return { kind: 'install', packages };
  return { kind: 'stop', packages, command: installCommand(packages, m.isRoot) };
}

/** Checks, installs if it may, and returns the exit code for `npm test`. */
export function ensurePrerequisites(m: Machine): number {
  const decision = decide(m);
  switch (decision.kind) {
    case 'ready':
      return 0;
    case 'misconfigured':
      for (const line of decision.problems) m.log(line);
      m.log('Point it at the program, or unset it to use the Debian package.');
      return 1;
    case 'stop':
      m.log(`The tests need ${decision.packages.join(', ')}, which this machine lacks. Install with:`);
      m.log(`  ${decision.command}`);
      m.log('(Debian or Ubuntu; elsewhere install the same programs and set CHROMIUM_PATH or MOSQUITTO_PATH.)');
      return 1;
    case 'install': {
      m.log(`Installing what the tests need: ${decision.packages.join(' ')}`);
      const ran =
        m.run('apt-get', ['update', '-qq']) === 0 &&
        m.run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...decision.packages]) === 0;
      const still = missingPackages(m);
      if (ran && !still.length) return 0;
      m.log(
        `Installing ${decision.packages.join(' ')} did not work${still.length ? `: still missing ${still.join(', ')}` : ''}.`,
      );
      return 1;
    }
  }
}

function realMachine(): Machine {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  return {
    env,
    executable(path) {
      try {
        accessSync(path, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    },
    isRoot: process.getuid?.() === 0,
    run: (command, args) => spawnSync(command, args, { stdio: 'inherit', env }).status ?? 1,
    log: (line) => console.error(line),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = ensurePrerequisites(realMachine());
