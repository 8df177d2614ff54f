import { readFileSync } from 'node:fs';
import { FileChangeType } from 'vscode-languageserver-protocol/node';
import { describe, expect, it } from 'vitest';
import { StatsRequest } from '../../server/src/protocol';
import { extraFiles, leakedSecret, pickSeed, type Seed, seeds } from './corpus';
import { mutation, rng } from './mutate';
import { differencesFromCheck, memoryLine, PROBE, probeRequests, settle, slowAnswers, slowest, startServer } from './serverRun';

/*
 * The bundled server, over its protocol as editors run it, fed mutated files in bursts of
 * didOpen/didChange/didSave (issue 8). After every burst, requests on an unmutated policy file
 * must answer (within ANSWER_MS, serverRun.ts); the server must stay alive; no literal secret may reach a
 * diagnostic, a hover or the log. At the end every mutated file is saved and closed, and the
 * server's diagnostics of every file must equal a fresh `agentgov check` of the same files:
 * nothing stale, nothing lost. AGENTGOV_FUZZ_SEED repeats a run; AGENTGOV_FUZZ_INPUTS sets how
 * many (10,000 in CI); AGENTGOV_FUZZ_IN_PROCESS runs the server from the sources in this process
 * (for a debugger); AGENTGOV_FUZZ_TRACE prints the server's memory after every burst.
 */

const SEED = Number(process.env.AGENTGOV_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const INPUTS = Number(process.env.AGENTGOV_FUZZ_INPUTS ?? 10_000);
/**
 * A ceiling that catches a leak or a blow-up (before issue 8's fixes: 2,982 MB; before the
 * server's heap growth was capped at 1.5×, launch.json: 763–1,128 MB). With issue 9's inputs in
 * the corpus the peak rose to 877–1,045 MB (seed 1444702610): megabytes of garbage tokenized in
 * full by the guards (each Cedar worker ~60 MB per such megabyte, every edit), JSON parse errors
 * all held until the parse ended (~45 MB per megabyte). With those bounded (lexer.ts `maxCode`,
 * policyFile.ts, jsonErrors.ts `cappedErrors`) it is 449–472 MB over seeds. README "Robustness"
 * keeps the figures; the benchmark's workspace has its own budget (400 MB).
 */
const MAX_PEAK_RSS_MB = 700;

describe('the server under mutated files', () => {
  it(`${INPUTS} mutated inputs in bursts: alive, answering, no secret, and finally what a fresh check says (seed ${SEED})`, async () => {
    console.log(`server fuzz: seed ${SEED}, ${INPUTS} inputs`);
    const r = rng(SEED);
    const h = await startServer({ files: extraFiles() });
    try {
      const targets = seeds().filter((s) => s.rel !== PROBE);
      const probe = await h.open(PROBE, readFileSync(h.path(PROBE), 'utf8'));
      const startRss = (await h.client.sendRequest(StatsRequest)).peakRssMB;
      const current = new Map<string, { seed: Seed; text: string; uri: string }>();
      const history: string[] = [];
      const perKind = new Map<string, number>();
      let inputs = 0;
      let bursts = 0;
      let saves = 0;
      while (inputs < INPUTS) {
        const size = 1 + Math.floor(r() * 10);
        // A burst is what an editor sends in a moment: up to ten edits, and about 3 MB of text at
        // most (ten 2 MB files at once would measure the pipe, not the server).
        let burstChars = 0;
        for (let k = 0; k < size && inputs < INPUTS && burstChars < 3_000_000; k++) {
          const seed = pickSeed(r, targets);
          const known = current.get(seed.rel);
          const m = mutation(r);
          // Mostly mutate what the editor holds now, sometimes start again from the original (always
          // once it has grown past 2 MB: sending ever larger texts would measure the pipe).
          const from = known && known.text.length < 2_000_000 && r() < 0.7 ? known.text : seed.text;
          const text = m.apply(from, r, seed.syntax);
          burstChars += text.length;
          let uri: string;
          if (known) {
            await h.change(known.uri, [{ text }]);
            known.text = text;
            uri = known.uri;
          } else current.set(seed.rel, { seed, text, uri: (uri = await h.open(seed.rel, text)) });
          // Sometimes saved: the editor writes the file, says didSave, and the watcher says it changed.
          if (r() < 0.1) {
            h.write(seed.rel, text);
            await h.save(uri);
            await h.watched([{ uri, type: FileChangeType.Changed }]);
            saves++;
          }
          history.push(`${seed.rel}: ${m.name}`);
          if (history.length > 20) history.shift();
          perKind.set(seed.syntax, (perKind.get(seed.syntax) ?? 0) + 1);
          inputs++;
        }
        bursts++;
        const where = `after burst ${bursts} (input ${inputs}, seed ${SEED}; last: ${history.slice(-size).join('; ')})`;
        expect(h.alive, `server died ${where}`).toBe(true);
        await probeRequests(h, probe, where);
        if (process.env.AGENTGOV_FUZZ_TRACE) {
          // The open documents' texts, which the server must hold (full text sync).
          const openMB = [...current.values()].reduce((n, c) => n + c.text.length, 0) / 2 ** 20;
          console.log(
            `burst ${bursts}: ${(await memoryLine(h, startRss)).line}; open texts ${openMB.toFixed(1)} M characters; ${where}`,
          );
        }
      }
      const memory = await memoryLine(h, startRss);
      console.log(`server fuzz: ${memory.line}`);
      console.log(
        `server fuzz: ${inputs} inputs in ${bursts} bursts (${saves} saved); per kind ${JSON.stringify(Object.fromEntries(perKind))}; slowest answer ${Math.round(slowest.ms)} ms (${slowest.where.slice(0, 300)})`,
      );

      for (const a of slowAnswers.sort((a, b) => b.ms - a.ms).slice(0, 10))
        console.log(`server fuzz: slow answer ${a.ms} ms: ${a.where.slice(0, 600)}\n  long tasks: ${a.longTasks ?? '-'}`);
      // Save and close every mutated file: the server reads them from disk, as the CLI will.
      for (const { seed, text, uri } of current.values()) {
        h.write(seed.rel, text);
        await h.close(uri);
      }
      await h.watched([...current.values()].map(({ uri }) => ({ uri, type: FileChangeType.Changed })));
      await settle(h);
      expect(h.alive).toBe(true);
      expect(differencesFromCheck(h), `final diagnostics (seed ${SEED})`).toEqual([]);
      // Memory under 10,000 hostile edits (1–2 MB texts among them): this bound guards what was
      // won (2–3 GB before the bounds and collection, ~1 GB before the token and error bounds).
      expect(memory.peakRssMB, `peak RSS (seed ${SEED})`).toBeLessThan(MAX_PEAK_RSS_MB);
      expect(leakedSecret(h.logs.join('\n')), 'a secret in the log').toBeUndefined();
    } finally {
      await h.dispose();
    }
  }, 1_800_000);
});
