// Bundles the simulator into one CommonJS file the lab installs as `VBoxManage` (via a sh wrapper).
// One small file with no dependencies keeps each invocation's start-up short: the app may call
// VBoxManage hundreds of times.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ENTRY = fileURLToPath(new URL('./main.ts', import.meta.url));

export async function buildSimulator(outFile: string): Promise<void> {
  await build({
    entryPoints: [ENTRY],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: false,
    sourcemap: false,
    logLevel: 'warning',
  });
}
