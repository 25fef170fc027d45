import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { lockDataDir } from './dir-lock.ts';

describe('PGlite data directory lock', () => {
  it('refuses a second holder while the first runs, and takes over a dead holder’s lock', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qibu-lock-'));
    const release = lockDataDir(dir);
    // The same process asking again is the same holder (a reopen after close): refused only for another live pid.
    fs.writeFileSync(path.join(dir, 'qibu.lock'), String(process.ppid));
    expect(() => lockDataDir(dir)).toThrow(/in use by process/);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    fs.writeFileSync(path.join(dir, 'qibu.lock'), dead);
    const again = lockDataDir(dir);
    expect(fs.readFileSync(path.join(dir, 'qibu.lock'), 'utf8')).toBe(String(process.pid));
    again();
    expect(fs.existsSync(path.join(dir, 'qibu.lock'))).toBe(false);
    release();
  });
});
