import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type FileEvent, FileChangeType } from 'vscode-languageserver-protocol/node';
import { describe, expect, it } from 'vitest';
import { StatsRequest } from '../../server/src/protocol';
import { extraFiles, leakedSecret, pickSeed, seeds } from './corpus';
import { mutation, pick, type Rng, rng, toBytes } from './mutate';
import { differencesFromCheck, memoryLine, PROBE, probeRequests, settle, slowest, startServer } from './serverRun';

/*
 * The bundled server while files change under its feet (issue 8): files created, deleted,
 * renamed and rewritten on disk, whole folders deleted and created again, the schema moved
 * between folders, a second workspace folder added and removed, `node_modules` and `.git`
 * appearing with thousands of files, documents open in the editor while their file goes away.
 * The watcher's events come on time, late (after later changes), twice, or for files already
 * gone again, as real watchers send them. After every step the requests on an untouched policy
 * must answer (within ANSWER_MS, serverRun.ts); at the end the server's diagnostics must equal a fresh
 * `agentgov check` of the files on disk, and the removed folder's files must have none.
 * AGENTGOV_FUZZ_SEED repeats a run; AGENTGOV_CHURN_STEPS sets how many steps (400 in CI).
 */

const SEED = Number(process.env.AGENTGOV_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const STEPS = Number(process.env.AGENTGOV_CHURN_STEPS ?? 400);
const SCHEMA = 'agent-platform.cedarschema';

/** Names that make a file what it is: kept whole when a file of that kind is copied elsewhere. */
const NAMED = /(^|\/)(\.vscode\/mcp\.json|\.mcp\.json|mcp\.json|claude_desktop_config\.json|package\.json)$/;

describe('the server under file churn', () => {
  it(`${STEPS} steps of files and folders changing on disk, events late and doubled: alive, answering, and finally what a fresh check says (seed ${SEED})`, async () => {
    console.log(`churn fuzz: seed ${SEED}, ${STEPS} steps`);
    const r = rng(SEED);
    const h = await startServer({ files: extraFiles() });
    const second = mkdtempSync(join(tmpdir(), 'agentgov-second-'));
    try {
      const all = seeds().filter((s) => s.rel !== PROBE);
      const probe = await h.open(PROBE, readFileSync(h.path(PROBE), 'utf8'));
      const startRss = (await h.client.sendRequest(StatsRequest)).peakRssMB;
      /** Absolute paths of the files this run wrote and may touch again (the probe never). */
      const files = new Set(all.map((s) => h.path(s.rel)));
      const open = new Map<string, string>();
      const late: FileEvent[] = [];
      const counts = new Map<string, number>();
      let secondAdded = false;
      let step = 0;
      const uri = (path: string) => pathToFileURL(path).toString();

      /** Sends a file's events now, late (queued), twice, or both. */
      const tell = async (events: FileEvent[]) => {
        const x = r();
        if (x < 0.25) late.push(...events);
        else {
          await h.watched(r() < 0.5 ? events : [...events].reverse());
          if (x > 0.85) await h.watched(events);
        }
      };
      const writeBytes = (path: string, text: string) => {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, r() < 0.1 ? toBytes(text, r).bytes : text);
        files.add(path);
      };
      const someFile = () => pick(r, [...files]);
      const newPath = (rel: string, root = h.root) => {
        const dir = pick(r, ['', 'policies', 'agents', 'tools', `churn-${step % 7}`]);
        const named = NAMED.exec(rel);
        return named ? join(root, dir, `c${step}`, named[2]) : join(root, dir, `c${step}-${basename(rel)}`);
      };

      const ops: Record<string, (r: Rng) => Promise<void>> = {
        'create a file': async () => {
          const seed = pickSeed(r, all);
          const path = newPath(seed.rel, secondAdded && r() < 0.3 ? second : h.root);
          writeBytes(path, r() < 0.5 ? mutation(r).apply(seed.text, r, seed.syntax) : seed.text);
          await tell([{ uri: uri(path), type: FileChangeType.Created }]);
        },
        'rewrite a file': async () => {
          const path = someFile();
          if (!existsSync(path)) return;
          const seed = all.find((s) => path.endsWith(basename(s.rel))) ?? pickSeed(r, all);
          writeBytes(path, mutation(r).apply(readFileSync(path, 'utf8'), r, seed.syntax));
          await tell([{ uri: uri(path), type: FileChangeType.Changed }]);
        },
        'delete a file': async () => {
          const path = someFile();
          rmSync(path, { force: true });
          files.delete(path);
          await tell([{ uri: uri(path), type: FileChangeType.Deleted }]);
        },
        'rename a file': async () => {
          const path = someFile();
          if (!existsSync(path)) return;
          const to = newPath(path.slice(h.root.length + 1));
          mkdirSync(dirname(to), { recursive: true });
          renameSync(path, to);
          files.delete(path);
          files.add(to);
          await tell([
            { uri: uri(path), type: FileChangeType.Deleted },
            { uri: uri(to), type: FileChangeType.Created },
          ]);
        },
        'delete a folder, then create it again': async () => {
          const dir = join(h.root, pick(r, ['agents', 'tools', 'policies/extra', `churn-${step % 7}`]));
          const kept = [...files]
            .filter((p) => p.startsWith(dir + '/') && existsSync(p))
            .map((p) => [p, readFileSync(p)] as const);
          rmSync(dir, { recursive: true, force: true });
          for (const [p] of kept) files.delete(p);
          await tell([{ uri: uri(dir), type: FileChangeType.Deleted }]);
          if (r() < 0.7) {
            for (const [p, bytes] of kept) {
              mkdirSync(dirname(p), { recursive: true });
              writeFileSync(p, bytes);
              files.add(p);
            }
            await tell([{ uri: uri(dir), type: FileChangeType.Created }]);
          }
        },
        'move the schema to another folder and back': async () => {
          const from = h.path(SCHEMA);
          if (!existsSync(from)) return;
          const to = join(pick(r, [h.path('policies'), h.path('agents'), ...(secondAdded ? [second] : [])]), SCHEMA);
          mkdirSync(dirname(to), { recursive: true });
          renameSync(from, to);
          await tell([
            { uri: uri(from), type: FileChangeType.Deleted },
            { uri: uri(to), type: FileChangeType.Created },
          ]);
          await probeRequests(h, probe, `with the schema in ${to} (step ${step}, seed ${SEED})`);
          if (r() < 0.8) {
            renameSync(to, from);
            await tell([
              { uri: uri(to), type: FileChangeType.Deleted },
              { uri: uri(from), type: FileChangeType.Created },
            ]);
          } else files.add(to);
        },
        'open, edit and save a file; sometimes delete it while open': async () => {
          const path = someFile();
          if (!existsSync(path) || open.has(path) || !path.startsWith(h.root)) return;
          const seed = all.find((s) => path.endsWith(basename(s.rel))) ?? pickSeed(r, all);
          const rel = path.slice(h.root.length + 1);
          const text = mutation(r).apply(readFileSync(path, 'utf8'), r, seed.syntax);
          const u = await h.open(rel, readFileSync(path, 'utf8'));
          await h.change(u, [{ text }]);
          open.set(path, u);
          if (r() < 0.5) {
            writeFileSync(path, text);
            await h.save(u);
            await tell([{ uri: u, type: FileChangeType.Changed }]);
          }
          if (r() < 0.3) {
            rmSync(path, { force: true });
            files.delete(path);
            await tell([{ uri: u, type: FileChangeType.Deleted }]);
          }
        },
        'close an open file': async () => {
          if (!open.size) return;
          const path = pick(r, [...open.keys()]);
          await h.close(open.get(path)!);
          open.delete(path);
        },
        'node_modules and .git appear with thousands of files': async () => {
          const events: FileEvent[] = [];
          const base = h.path(pick(r, ['node_modules', 'tools/node_modules', '.git']));
          for (let i = 0; i < 1500; i++) {
            const seed = all[i % all.length];
            const p = join(base, `pkg${i % 40}`, `${i}-${basename(seed.rel)}`);
            mkdirSync(dirname(p), { recursive: true });
            writeFileSync(p, seed.text);
            events.push({ uri: uri(p), type: FileChangeType.Created });
          }
          await h.watched(r() < 0.5 ? events : [{ uri: uri(base), type: FileChangeType.Created }]);
          if (r() < 0.5) {
            rmSync(base, { recursive: true, force: true });
            await h.watched([{ uri: uri(base), type: FileChangeType.Deleted }]);
          }
        },
        'add or remove the second workspace folder': async () => {
          if (!secondAdded) {
            for (const s of all.filter((x) => /\.(cedar|agent\.yaml)$/.test(x.rel)).slice(0, 4))
              writeBytes(join(second, s.rel), s.text);
            await h.folders([second], []);
          } else await h.folders([], [second]);
          secondAdded = !secondAdded;
        },
        'late events arrive': async () => {
          const n = Math.ceil(r() * late.length);
          await h.watched(late.splice(0, n));
        },
      };
      const names = Object.keys(ops);
      for (; step < STEPS; step++) {
        const name = pick(r, names);
        await ops[name](r);
        counts.set(name, (counts.get(name) ?? 0) + 1);
        const where = `after step ${step} (${name}; seed ${SEED})`;
        expect(h.alive, `server died ${where}`).toBe(true);
        await probeRequests(h, probe, where);
      }

      // The end: late events delivered, documents closed, the second folder removed.
      await h.watched(late.splice(0));
      for (const u of open.values()) await h.close(u);
      if (secondAdded) await h.folders([], [second]);
      await settle(h);
      expect(h.alive).toBe(true);
      console.log(`churn fuzz: ${(await memoryLine(h, startRss)).line}`);
      console.log(
        `churn fuzz: steps ${JSON.stringify(Object.fromEntries(counts))}; slowest answer ${Math.round(slowest.ms)} ms (${slowest.where.slice(0, 300)})`,
      );
      expect(differencesFromCheck(h), `final diagnostics (seed ${SEED})`).toEqual([]);
      expect(leakedSecret(h.logs.join('\n')), 'a secret in the log').toBeUndefined();
    } finally {
      await h.dispose();
      rmSync(second, { recursive: true, force: true });
    }
  }, 1_800_000);
});
