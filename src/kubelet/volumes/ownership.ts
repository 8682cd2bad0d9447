// fsGroup ownership of a volume (upstream SetVolumeOwnership): group-owned by fsGroup, group rw (or r for
// read-only volumes), setgid directories; symlinks are re-owned but never chmod'ed.
import fs from 'node:fs/promises';
import path from 'node:path';

export async function setVolumeOwnership(dir: string, fsGroup: number, readOnly: boolean): Promise<void> {
  const mask = readOnly ? 0o440 : 0o660;
  const walk = async (p: string): Promise<void> => {
    const st = await fs.lstat(p);
    await fs.lchown(p, st.uid, fsGroup);
    if (st.isSymbolicLink()) return;
    if (st.isDirectory()) {
      await fs.chmod(p, (st.mode & 0o7777) | mask | 0o2000 | 0o110);
      for (const name of await fs.readdir(p)) await walk(path.join(p, name));
    } else {
      await fs.chmod(p, (st.mode & 0o7777) | mask);
    }
  };
  await walk(dir);
}
