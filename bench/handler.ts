/**
 * The custom-resource handler's asset: its size, and the time a cold Lambda spends loading it
 * compared with loading the SDK clients it uses (measured in fresh Node processes, alternated).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const BUNDLE = path.join(__dirname, '..', 'assets', 'custom-resources', 'imagebuilder.lambda', 'index.js');
const SDK_CLIENTS = ['@aws-sdk/client-imagebuilder', '@aws-sdk/client-ram', '@aws-sdk/client-lambda'];
const SIZE_TARGET_BYTES = 20 * 1024;

export interface HandlerFigures {
  readonly bundleBytes: number;
  readonly loadBundleMs: number;
  readonly loadSdkMs: number;
  readonly loadNodeMs: number;
}

/** Wall time of a fresh `node -e script` run from the repository root (so the SDK resolves). */
function timeNode(script: string): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['-e', script], { cwd: path.join(__dirname, '..') });
  if (result.status !== 0) {
    throw new Error(`node -e failed: ${result.stderr.toString()}`);
  }
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export function measureHandler(runs: number): HandlerFigures {
  if (!fs.existsSync(BUNDLE)) {
    throw new Error(`${BUNDLE} is missing: run \`npx projen bundle\` first`);
  }
  const loadBundle = `require(${JSON.stringify(BUNDLE)})`;
  const loadSdk = SDK_CLIENTS.map((c) => `require(${JSON.stringify(c)})`).join(';');
  const times = { bundle: [] as number[], sdk: [] as number[], node: [] as number[] };
  for (let i = 0; i < runs; i++) {
    times.node.push(timeNode(''));
    times.sdk.push(timeNode(loadSdk));
    times.bundle.push(timeNode(loadBundle));
  }
  return {
    bundleBytes: fs.statSync(BUNDLE).size,
    loadBundleMs: median(times.bundle),
    loadSdkMs: median(times.sdk),
    loadNodeMs: median(times.node),
  };
}

export function handlerSection(figures: HandlerFigures): string {
  const ms = (v: number) => `${v.toFixed(0)} ms`;
  const own = figures.loadBundleMs - figures.loadSdkMs;
  const sdkShare = (figures.loadSdkMs - figures.loadNodeMs) / (figures.loadBundleMs - figures.loadNodeMs);
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  return [
    '## Custom-resource handler',
    '',
    '| Measurement | Value | Target |',
    '| --- | ---: | --- |',
    `| Asset size (assets/custom-resources/imagebuilder.lambda/index.js) | ${figures.bundleBytes} bytes | under ${SIZE_TARGET_BYTES} bytes: ${met(figures.bundleBytes < SIZE_TARGET_BYTES)} |`,
    `| Fresh Node process that loads the handler | ${ms(figures.loadBundleMs)} | |`,
    `| Fresh Node process that loads only the three SDK clients | ${ms(figures.loadSdkMs)} | |`,
    `| Empty fresh Node process | ${ms(figures.loadNodeMs)} | |`,
    `| Share of the handler's load time spent in the SDK clients | ${(100 * sdkShare).toFixed(0)} % (own code ${ms(Math.max(own, 0))}) | dominated by the SDK: ${met(sdkShare > 0.5)} |`,
    '',
  ].join('\n');
}
