/**
 * The station files (station/): the systemd user unit and the autostart entry parse and start the
 * launcher, the unit passes `systemd-analyze verify`, and the launcher itself starts a browser on
 * the app's address with the flags an unattended machine needs: once with a recording stand-in
 * for the browser, once with Debian's Chromium (headless) showing the built app.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { CdpPage, waitForPages } from '../../scripts/cdp.ts';
import { serveDist } from '../../scripts/serve-dist.ts';

const root = resolve(import.meta.dirname, '../..');
const station = join(root, 'station');
const launcher = join(station, 'start-station.sh');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const scratch = mkdtempSync(join(tmpdir(), 'kmp-station-'));
// A browser the launcher started may still be writing its profile: retry the removal a few times.
afterAll(() => rmSync(scratch, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }));

type Ini = Record<string, Record<string, string[]>>;

/** The ini dialect of systemd units and desktop entries: [sections], key=value, # and ; comments, \ continuations. */
function parseIni(text: string): Ini {
  const ini: Ini = {};
  let section: string | undefined;
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  lines.forEach((raw, n) => {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) return;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      section = header[1]!;
      ini[section] ??= {};
      return;
    }
    const eq = line.indexOf('=');
    if (!section || eq < 1) throw new Error(`line ${n + 1} is neither a section, a key=value nor a comment: ${raw}`);
    const key = line.slice(0, eq).trim();
    (ini[section]![key] ??= []).push(line.slice(eq + 1).trim());
  });
  return ini;
}

const read = (name: string) => readFileSync(join(station, name), 'utf8');

/** Runs the launcher with exactly `env` (plus a PATH); its exit code and stderr. */
function runLauncher(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  return new Promise((done) => {
    const child = spawn('sh', [launcher], { env: { PATH: '/usr/bin:/bin', HOME: scratch, ...env } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('exit', (code) => done({ code: code ?? -1, stderr }));
  });
}

/** A stand-in browser that writes its arguments and the profile's Preferences as it found them. */
function recordingBrowser(dir: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(
    path,
    `#!/bin/sh\nprintf '%s\\n' "$@" > "${dir}/argv"\nfor a in "$@"; do case "$a" in --user-data-dir=*) cp "\${a#--user-data-dir=}/Default/Preferences" "${dir}/prefs" 2>/dev/null;; esac; done\n`,
  );
  chmodSync(path, 0o755);
  return path;
}

/** A PATH directory with the tools the launcher uses and no chromium (this machine has one in /usr/bin). */
function toolsWithoutChromium(): string {
  const dir = join(scratch, 'tools');
  mkdirSync(dir, { recursive: true });
  for (const tool of ['sh', 'sed', 'mkdir', 'id', 'cp', 'grep', 'sleep'])
    if (!existsSync(join(dir, tool)))
      symlinkSync(
        execFileSync('sh', ['-c', `command -v ${tool}`])
          .toString()
          .trim(),
        join(dir, tool),
      );
  return dir;
}

function envFile(name: string, url: string): string {
  const path = join(scratch, name);
  writeFileSync(path, `# test\nKMP_STATION_URL=${url}\n`);
  return path;
}

describe('the systemd user unit', () => {
  const unit = parseIni(read('kmp-web-station.service'));

  it('starts the installed launcher with the env file holding the URL, restarts always, and starts with the desktop', () => {
    expect(unit.Service!.ExecStart).toEqual(['%h/.local/bin/kmp-web-station']);
    expect(unit.Service!.Environment).toEqual(['KMP_STATION_ENV=%h/.config/kmp-web/station.env']);
    expect(unit.Service!.Restart).toEqual(['always']);
    expect(unit.Install!.WantedBy).toEqual(['graphical-session.target']);
    expect(unit.Unit!.After).toContain('graphical-session.target');
    // The install line in its comment copies the launcher to the very path ExecStart runs.
    expect(read('kmp-web-station.service')).toContain('station/start-station.sh ~/.local/bin/kmp-web-station');
  });

  it('passes systemd-analyze verify, with ExecStart pointed at the launcher in this repository', async () => {
    // %h is the user's home in a user unit; verify it as a system unit with the real path instead.
    const copy = join(scratch, 'kmp-web-station.service');
    writeFileSync(copy, read('kmp-web-station.service').replace(/^ExecStart=.*$/m, `ExecStart=${launcher}`));
    if (!existsSync('/usr/bin/systemd-analyze') && !existsSync('/bin/systemd-analyze')) {
      // Without systemd on the machine the parse above is the check.
      return;
    }
    const { stderr } = await promisify(execFile)('systemd-analyze', ['verify', copy]);
    expect(stderr).toBe('');
  });
});

describe('the autostart entry', () => {
  const entry = parseIni(read('kmp-web-station.desktop'))['Desktop Entry']!;

  it('is an application entry that runs the installed launcher', () => {
    expect(entry.Type).toEqual(['Application']);
    expect(entry.Name).toEqual(['kmp-web station']);
    expect(entry.Exec).toEqual([`sh -c 'exec "$HOME/.local/bin/kmp-web-station"'`]);
    expect(entry.Terminal).toEqual(['false']);
  });
});

describe('the launcher', () => {
  it('is a POSIX shell script, executable', () => {
    execFileSync('sh', ['-n', launcher]);
    expect(
      execFileSync('sh', ['-c', `test -x "${launcher}" && echo yes`])
        .toString()
        .trim(),
    ).toBe('yes');
  });

  it('refuses to start without a URL, saying where to put it', async () => {
    const { code, stderr } = await runLauncher({ KMP_STATION_ENV: join(scratch, 'absent.env') });
    expect(code).toBe(64);
    expect(stderr).toMatch(/KMP_STATION_URL.*absent\.env/);
  });

  it('waits for a display and gives up saying so', async () => {
    const bin = recordingBrowser(join(scratch, 'nodisplay'), 'chromium');
    const { code, stderr } = await runLauncher({
      KMP_STATION_ENV: envFile('nodisplay.env', 'http://127.0.0.1:9/'),
      CHROMIUM: bin,
      KMP_STATION_DISPLAY_WAIT: '1',
    });
    expect(code).toBe(75);
    expect(stderr).toMatch(/no display after 1 s/);
    expect(existsSync(join(scratch, 'nodisplay', 'argv'))).toBe(false);
  });

  it('finds chromium-browser on PATH, opens the URL in an app window of its own profile, and clears the crash mark a power cut leaves', async () => {
    const dir = join(scratch, 'recorded');
    recordingBrowser(dir, 'chromium-browser');
    const profile = join(scratch, 'profile');
    mkdirSync(join(profile, 'Default'), { recursive: true });
    writeFileSync(
      join(profile, 'Default', 'Preferences'),
      '{"profile":{"exit_type":"Crashed","exited_cleanly":false,"name":"Person 1"}}',
    );
    const { code, stderr } = await runLauncher({
      PATH: `${dir}:${toolsWithoutChromium()}`,
      KMP_STATION_ENV: envFile('recorded.env', 'https://meter.example/kmp/'),
      KMP_STATION_PROFILE: profile,
      DISPLAY: 'localhost:0',
    });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const argv = readFileSync(join(dir, 'argv'), 'utf8').trim().split('\n');
    expect(argv.at(-1)).toBe('--app=https://meter.example/kmp/');
    expect(argv).toEqual(
      expect.arrayContaining([
        `--user-data-dir=${profile}`,
        '--no-first-run',
        '--password-store=basic',
        '--hide-crash-restore-bubble',
        '--disable-features=Translate',
        '--disable-background-timer-throttling',
      ]),
    );
    expect(argv).not.toContain('--kiosk');
    expect(JSON.parse(readFileSync(join(dir, 'prefs'), 'utf8'))).toEqual({
      profile: { exit_type: 'Normal', exited_cleanly: true, name: 'Person 1' },
    });
  });

  it('with KMP_STATION_KIOSK=1, opens it full screen', async () => {
    const dir = join(scratch, 'kiosk');
    const bin = recordingBrowser(dir, 'browser');
    writeFileSync(join(scratch, 'kiosk.env'), 'KMP_STATION_URL=http://127.0.0.1:4173/\nKMP_STATION_KIOSK=1\n');
    const { code } = await runLauncher({
      KMP_STATION_ENV: join(scratch, 'kiosk.env'),
      CHROMIUM: bin,
      KMP_STATION_PROFILE: join(scratch, 'kiosk-profile'),
      DISPLAY: 'localhost:0',
    });
    expect(code).toBe(0);
    expect(readFileSync(join(dir, 'argv'), 'utf8').trim().split('\n').slice(-2)).toEqual([
      '--kiosk',
      '--app=http://127.0.0.1:4173/',
    ]);
  });

  it('starts Debian’s Chromium on the app, which loads', { timeout: 60_000 }, async () => {
    if (!existsSync(join(root, 'dist', 'index.html')))
      execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], {
        cwd: root,
        env: { ...process.env, NODE_ENV: 'production' },
      });
    const server = await serveDist();
    const { url } = server;
    const port = await freePort();
    const child = spawn('sh', [launcher], {
      env: {
        PATH: '/usr/bin:/bin',
        HOME: scratch,
        KMP_STATION_ENV: envFile('chromium.env', url),
        CHROMIUM,
        KMP_STATION_PROFILE: join(scratch, 'chromium-profile'),
        KMP_STATION_FLAGS: `--headless --no-sandbox --disable-gpu --remote-debugging-port=${port}`,
      },
      stdio: 'ignore',
    });
    let page: CdpPage | undefined;
    try {
      const pages = await waitForPages(port, 20_000);
      expect(pages.map((p) => p.url)).toContain(url);
      page = await CdpPage.connect(pages.find((p) => p.url === url)!);
      await page.waitFor(`customElements.get('kmp-app') && document.querySelector('kmp-app')?.shadowRoot`, 20_000);
      expect(await page.evaluate<string>('document.title')).toMatch(/kmp-web/i);
    } finally {
      page?.close();
      child.kill();
      await new Promise((done) => child.once('exit', done));
      await server.close();
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}
