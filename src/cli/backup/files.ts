import fs from 'node:fs';
import path from 'node:path';

/** Where uploaded files live: outside the web root, under the data directory. */
export function filesDir(dataDir: string): string {
  return path.join(dataDir, 'files');
}

/** Number and total size of the regular files under dir (0/0 when it does not exist yet). */
export function countFiles(dir: string): { count: number; bytes: number } {
  const total = { count: 0, bytes: 0 };
  if (!fs.existsSync(dir)) return total;
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile()) {
        total.count++;
        total.bytes += fs.statSync(p).size;
      }
    }
  };
  walk(dir);
  return total;
}

/**
 * Moves the restored files into place. The staging directory sits inside the data directory, so each rename is
 * on one filesystem; an entry that already exists is replaced (the database it belonged to was empty).
 */
export function moveFilesInto(from: string, to: string): void {
  if (!fs.existsSync(from)) return;
  fs.mkdirSync(to, { recursive: true, mode: 0o700 });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory() && fs.existsSync(dst) && fs.statSync(dst).isDirectory()) {
      moveFilesInto(src, dst);
      continue;
    }
    fs.rmSync(dst, { recursive: true, force: true });
    fs.renameSync(src, dst);
  }
}
