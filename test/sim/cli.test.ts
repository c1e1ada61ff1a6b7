import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeFrame, decodeSerialNoResponse, encodeGetSerialNo } from '../../src/kmp/index.ts';

const CLI = ['--import', 'tsx', 'src/sim/cli.ts'];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill();
});

describe('npm run sim', () => {
  it('--print-values lists the registers it serves', () => {
    const r = spawnSync(process.execPath, [...CLI, '--print-values', '--model', '603', '--energy-unit', 'MWh'], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/MULTICAL 603, serial \d{8}/);
    expect(r.stdout).toMatch(/\n\s+60\s+energy\s+[\d.]+ MWh/);
    expect(r.stdout).toMatch(/\n\s+88\s+temp3/);
    expect(r.stdout).toMatch(/\n\s+99\s+infoCode\s+0 /);
    const faulty = spawnSync(process.execPath, [...CLI, '--print-values', '--info-code', '8'], { encoding: 'utf8' });
    expect(faulty.stdout).toMatch(/\n\s+99\s+infoCode\s+8 /);
    expect(faulty.stdout).toMatch(/\n\s+86\s+temp1\s+185\.00 °C/);
  });

  it('rejects bad flags with a message and exit code 2', () => {
    const r = spawnSync(process.execPath, [...CLI, '--stdio', '--model', '999'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--model must be 402, 403, 603, 601 or 801/);
    expect(r.stdout).toBe('');
    const code = spawnSync(process.execPath, [...CLI, '--stdio', '--info-code', '1.5'], { encoding: 'utf8' });
    expect(code.status).toBe(2);
    expect(code.stderr).toMatch(/--info-code must be a whole number/);
  });

  it('--stdio answers a GetSerialNo frame on stdout', async () => {
    const child = spawn(process.execPath, [...CLI, '--stdio', '--model', '402', '--echo'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    children.push(child);
    const got: number[] = [];
    const done = new Promise<void>((resolve) =>
      child.stdout.on('data', (b: Buffer) => {
        got.push(...b);
        if (got.filter((x) => x === 0x0d).length >= 2) resolve();
      }),
    );
    child.stdin.write(encodeGetSerialNo());
    await done;
    const wire = Uint8Array.from(got);
    expect(wire[0]).toBe(0x80); // the echo comes first
    const reply = decodeFrame(wire.subarray(wire.indexOf(0x40)));
    expect(decodeSerialNoResponse(reply.data)).toBe(66123456);
  });

  it('serves another client through a pseudo-terminal made by socat', async () => {
    const link = join(tmpdir(), `kmp-sim-${process.pid}`);
    const socat = spawn(
      'socat',
      [`pty,raw,echo=0,link=${link}`, `EXEC:"${process.execPath} ${CLI.join(' ')} --stdio"`],
      { stdio: 'ignore' },
    );
    children.push(socat);
    for (let i = 0; i < 100 && !existsSync(link); i++) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(link)).toBe(true);
    const fd = openSync(link, 'r+');
    try {
      writeSync(fd, encodeGetSerialNo());
      const buf = Buffer.alloc(64);
      const got: number[] = [];
      const deadline = Date.now() + 10_000;
      while (!got.includes(0x0d) && Date.now() < deadline) {
        const n = readSync(fd, buf, 0, buf.length, null);
        got.push(...buf.subarray(0, n));
      }
      expect(decodeSerialNoResponse(decodeFrame(Uint8Array.from(got)).data)).toBe(71234567);
    } finally {
      closeSync(fd);
    }
  });
});
