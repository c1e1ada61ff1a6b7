import { describe, expect, it } from 'vitest';
import { decide, ensurePrerequisites, installCommand, type Machine } from '../../scripts/test-prerequisites.ts';

/** A machine with these executables; apt-get "installs" by adding the packages' programs. */
function machine(files: string[], options: { root?: boolean; env?: Record<string, string> } = {}) {
  const present = new Set(files);
  const runs: string[] = [];
  const lines: string[] = [];
  const programs: Record<string, string> = {
    chromium: '/usr/bin/chromium',
    mosquitto: '/usr/sbin/mosquitto',
    socat: '/usr/bin/socat',
  };
  const m: Machine = {
    env: { PATH: '/usr/local/bin:/usr/bin:/bin', ...options.env },
    executable: (path) => present.has(path),
    isRoot: options.root ?? false,
    run(command, args) {
      runs.push([command, ...args].join(' '));
      if (args[0] === 'install') for (const p of args.slice(4)) present.add(programs[p]!);
      return 0;
    },
    log: (line) => lines.push(line),
  };
  return { m, runs, lines };
}

const ALL = ['/usr/bin/chromium', '/usr/sbin/mosquitto', '/usr/bin/socat', '/usr/bin/apt-get'];

describe('test prerequisites', () => {
  it('does nothing when chromium, mosquitto and socat are there', () => {
    const { m, runs } = machine(ALL, { root: true });
    expect(decide(m)).toEqual({ kind: 'ready' });
    expect(ensurePrerequisites(m)).toBe(0);
    expect(runs).toEqual([]);
  });

  it('finds mosquitto on the PATH as well as in /usr/sbin, and chromium where CHROMIUM_PATH says', () => {
    const { m } = machine(['/opt/chrome/chrome', '/usr/local/bin/mosquitto', '/usr/bin/socat'], {
      env: { CHROMIUM_PATH: '/opt/chrome/chrome' },
    });
    expect(decide(m)).toEqual({ kind: 'ready' });
  });

  it('as root with apt-get, installs only what is missing, then goes on', () => {
    const { m, runs } = machine(['/usr/bin/apt-get', '/usr/sbin/mosquitto'], { root: true });
    expect(decide(m)).toEqual({ kind: 'install', packages: ['chromium', 'socat'] });
    expect(ensurePrerequisites(m)).toBe(0);
    expect(runs).toEqual(['apt-get update -qq', 'apt-get install -y -qq --no-install-recommends chromium socat']);
  });

  it('fails when the install does not bring the program', () => {
    const { m, lines } = machine(['/usr/bin/apt-get', '/usr/sbin/mosquitto', '/usr/bin/socat'], { root: true });
    m.run = () => 0; // apt-get "succeeds" but installs nothing
    expect(ensurePrerequisites(m)).toBe(1);
    expect(lines.at(-1)).toBe('Installing chromium did not work: still missing chromium.');
  });

  it('a path variable naming nothing is a mistake to fix, not a package to install', () => {
    const { m, runs, lines } = machine(ALL, { root: true, env: { CHROMIUM_PATH: '/nowhere/chrome' } });
    expect(decide(m)).toEqual({
      kind: 'misconfigured',
      problems: ['CHROMIUM_PATH is /nowhere/chrome, which is not an executable file.'],
    });
    expect(ensurePrerequisites(m)).toBe(1);
    expect(runs).toEqual([]);
    expect(lines.at(-1)).toMatch(/unset it/);
  });

  it('not root: stops at once with the exact command, and runs nothing', () => {
    const { m, runs, lines } = machine(['/usr/bin/apt-get', '/usr/bin/chromium']);
    expect(ensurePrerequisites(m)).toBe(1);
    expect(runs).toEqual([]);
    expect(lines[0]).toBe('The tests need mosquitto, socat, which this machine lacks. Install with:');
    expect(lines[1]).toBe(
      "  sudo sh -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends mosquitto socat'",
    );
  });

  it('root without apt-get: stops with the command too', () => {
    const { m, runs, lines } = machine(['/usr/bin/chromium', '/usr/bin/socat'], { root: true });
    expect(decide(m)).toEqual({ kind: 'stop', packages: ['mosquitto'], command: installCommand(['mosquitto'], true) });
    expect(ensurePrerequisites(m)).toBe(1);
    expect(runs).toEqual([]);
    expect(lines[1]).toBe('  apt-get update -qq && apt-get install -y -qq --no-install-recommends mosquitto');
  });
});
