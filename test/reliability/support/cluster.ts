import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { startServiceProcess, type ServiceProcess } from '../../support/service-process';
import { freePort } from '../../support/free-port';

const ENTRY = { script: join(__dirname, 'reliability-service.ts') };

export interface Replica {
  name: string;
  baseUrl: string;
  process: ServiceProcess;
}

/** Secrets shared by the replicas of one test: they serve the same accounts from the same database. */
export function clusterSecrets() {
  return { APP_SECRET_KEY: randomBytes(32).toString('base64'), ADMIN_API_TOKEN: randomBytes(24).toString('hex') };
}

/** Starts one service process and resolves once it answers `/health/ready`. */
export async function startReplica(name: string, env: Record<string, string>): Promise<Replica> {
  const port = await freePort();
  const process = startServiceProcess(ENTRY, {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PORT: String(port),
    PUBLIC_BASE_URL: 'https://gateway.test.example',
    ...env,
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 600; attempt++) {
    if (process.child.exitCode !== null) throw new Error(`${name} exited: ${process.output().slice(-2000)}`);
    const ready = await fetch(`${baseUrl}/health/ready`).then(
      (res) => res.ok,
      () => false,
    );
    if (ready) return { name, baseUrl, process };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${name} did not become ready: ${process.output().slice(-2000)}`);
}

export async function stopReplica(replica: Replica, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (replica.process.child.exitCode !== null) return replica.process.child.exitCode;
  replica.process.child.kill(signal);
  return replica.process.exited;
}
