import { parentPort } from 'node:worker_threads';
import { CedarGateway } from './gateway';
import { collectIfGrown } from '../../memory/collect';
import { cedarMemoryBytes, loadCedar } from './load';
import type { WorkerAnswer, WorkerRequest } from './workerProtocol';

/*
 * A Cedar worker: its own cedar-wasm instance behind its own gateway (the same guards), so long
 * Cedar calls (a large schema's check, validation batches) run off the main thread and on the
 * other core. It only answers; it never reads files.
 */
const gateway = new CedarGateway();
// A worker exists to call Cedar: load (and compile) it now, before the first request arrives.
loadCedar();

function answer(req: WorkerRequest): WorkerAnswer {
  switch (req.op) {
    case 'validate': {
      const r = gateway.validate(req.schema, req.policies);
      return { errors: [...r.errors], warnings: [...r.warnings], ...(r.failure ? { failure: r.failure } : {}) };
    }
    case 'schemaText':
      return gateway.schemaText(req.text);
    case 'checkSchema':
      return gateway.checkSchema(req.schema);
    case 'checkEntities':
      return gateway.checkEntities(req.entities, req.schema);
    case 'parse':
      return gateway.parseEach(req.policies);
    case 'partialBatch':
      return req.calls.map((c) => gateway.authorizeSplit(c, req.entities));
  }
}

parentPort!.on('message', (msg: { id: number; req: WorkerRequest }) => {
  let result: WorkerAnswer | undefined;
  let error: string | undefined;
  try {
    result = answer(msg.req);
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  // Every answer says how large Cedar's memory has grown (it never shrinks): the pool replaces a
  // grown worker.
  parentPort!.postMessage({
    id: msg.id,
    result,
    error,
    cedarBytes: cedarMemoryBytes(),
    heapBytes: process.memoryUsage().heapTotal,
  });
  // A trap corrupted this worker's Cedar (`gateway.broken`): it ends, and the pool replaces it.
  if (gateway.broken) setImmediate(() => process.exit(1));
  // The texts and answers of a call are garbage once it is answered: collected as soon as they
  // pass 32 MB, whatever the worker keeps (V8 alone let idle workers sit on 200–350 MB of them
  // under the fuzzer). A collection here costs only this worker's thread.
  else setImmediate(() => collectIfGrown(32 * 2 ** 20, 1));
});
