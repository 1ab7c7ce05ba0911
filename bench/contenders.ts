/**
 * Starting the contenders: nabla in this process (native backend and JS kernels), each peer in a
 * worker process. A contender that cannot start is kept with the reason, for the report.
 */
import { nativeBackend, nativeKernelInfo, nativeUnavailableReason, setNativeThreads } from '../src/backend/index.js';
import * as nb from '../src/index.js';
import type { Params, Runner } from './harness.js';
import { INSTALL_PEERS, PEER_COMMANDS } from './peers/peers.js';
import { ProcessPeer } from './peers/process-peer.js';
import { standaloneRunner } from './peers/standalone.js';
import type { ContenderStatus } from './report.js';
import { ALL_THREADS, CONTENDER_TITLES, type ContenderName, type Workload } from './workloads/types.js';

/** A contender that started: it sets up a workload case and hands back a runner. */
export interface Contender {
  status: ContenderStatus;
  setup?(workload: Workload, params: Params): Promise<Runner>;
  close(): void;
}

/** nabla on `backend` in this process; params.threads sets the native kernels' threads for each call. */
function nablaContender(name: ContenderName, backend: nb.Backend): Contender {
  const kernels = nativeKernelInfo();
  const native = backend.name === 'native';
  const status: ContenderStatus = {
    contender: name,
    title: CONTENDER_TITLES[name],
    available: true,
    info: {
      version: `nabla ${nb.VERSION}, Node ${process.version}`,
      blas: native && kernels ? `native addon: SGEMM ${kernels.sgemm}, SIMD ${kernels.simd}` : 'TypeScript kernels',
      threads: native ? `setNativeThreads per case (default ${ALL_THREADS})` : 1,
    },
  };
  return {
    status,
    async setup(workload, params) {
      const activate = () => {
        nb.setBackend(backend);
        if (native) setNativeThreads(typeof params.threads === 'number' ? params.threads : ALL_THREADS);
      };
      activate();
      const step = await workload.setupNabla(params);
      return {
        async run(reps) {
          activate();
          const t0 = performance.now();
          for (let i = 0; i < reps; i++) {
            const r = step();
            if (r instanceof Promise) await r;
          }
          return (performance.now() - t0) / 1000;
        },
        async close() {},
      };
    },
    close() {
      if (native) setNativeThreads(ALL_THREADS);
    },
  };
}

function unavailable(name: ContenderName, reason: string): Contender {
  return { status: { contender: name, title: CONTENDER_TITLES[name], available: false, reason, info: {} }, close() {} };
}

/** Starts the named contenders (peers in parallel). */
export async function startContenders(names: readonly ContenderName[]): Promise<Map<ContenderName, Contender>> {
  const started = await Promise.all(
    names.map(async (name): Promise<[ContenderName, Contender]> => {
      if (name === 'nabla') {
        const b = nativeBackend();
        if (b) return [name, nablaContender(name, b)];
        // nabla still runs, on its JS kernels; the report says why the addon is missing
        const c = nablaContender(name, nb.jsBackend);
        c.status.info['blas'] = `TypeScript kernels: the native addon is unavailable (${nativeUnavailableReason() ?? 'not loaded'})`;
        return [name, c];
      }
      if (name === 'nabla-js') return [name, nablaContender(name, nb.jsBackend)];
      if (name === 'torch-standalone') {
        const status: ContenderStatus = { contender: name, title: CONTENDER_TITLES[name], available: true, info: { version: 'bench/peers/standalone_torch.py, a fresh process per sample', blas: 'as PyTorch', threads: 'torch.set_num_threads once, at the start' } };
        return [name, { status, setup: async (w, params) => standaloneRunner(w.name, params), close() {} }];
      }
      const cmd = PEER_COMMANDS[name];
      if (!cmd) return [name, unavailable(name, 'no worker defined')];
      const r = await ProcessPeer.start(cmd);
      if ('reason' in r) return [name, unavailable(name, `${r.reason} (install the peers: ${INSTALL_PEERS})`)];
      const { peer, info } = r;
      const status: ContenderStatus = { contender: name, title: CONTENDER_TITLES[name], available: true, info };
      return [name, { status, setup: (w, params) => peer.setup(w.name, params), close: () => peer.close() }];
    }),
  );
  return new Map(started);
}
