/**
 * Benchmarks, printed as a table and written to bench/RESULTS.md. Figures compared with each other
 * are measured in the same run, alternated, and reported as medians, so a busy machine shifts both
 * sides alike.
 *
 * Usage: npm run bench
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { buildApp } from '../examples/first-component/app';
import { ComponentDocument, ComponentPhaseName, ComponentStep, Platform } from '../src';

const RUNS = 7;
const CORPUS_DIR = path.join(__dirname, '..', '..', 'shared', 'corpus', 'awstoe');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

function corpusDocuments(): Array<{ text: string; platform: Platform }> {
  if (!fs.existsSync(CORPUS_DIR)) {
    return [];
  }
  return fs.readdirSync(CORPUS_DIR).filter((f) => /\.ya?ml$/.test(f)).map((f) => ({
    text: fs.readFileSync(path.join(CORPUS_DIR, f), 'utf-8'),
    platform: f.startsWith('Windows__') ? Platform.WINDOWS : Platform.LINUX,
  }));
}

function generatedDocumentText(steps: number): string {
  const document = new ComponentDocument({ name: 'generated' });
  document.addParameter('Greeting', { defaultValue: 'hello' });
  for (let i = 0; i < steps; i++) {
    document.addSteps(ComponentPhaseName.BUILD, ComponentStep.executeBash(`Step${i}`, {
      commands: [`echo "{{ Greeting }} from step ${i}"`, i > 0 ? `echo "{{ build.Step${i - 1}.outputs.stdout }}"` : 'true'],
    }));
  }
  return document.toYaml();
}

function validateAll(documents: Array<{ text: string; platform: Platform }>): void {
  for (const { text, platform } of documents) {
    const errors = ComponentDocument.fromYaml(text).validate({ platform }).filter((f) => f.severity === 'error');
    if (errors.length > 0) {
      throw new Error(`benchmark document does not validate: ${errors[0].message}`);
    }
  }
}

function synthExample(): void {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
  try {
    buildApp(outdir).synth();
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

const corpus = corpusDocuments();
const big = [{ text: generatedDocumentText(1000), platform: Platform.LINUX }];

// Warm up module loading and JIT before measuring.
validateAll(corpus);
validateAll(big);
synthExample();

const corpusTimes: number[] = [];
const bigTimes: number[] = [];
const synthTimes: number[] = [];
for (let i = 0; i < RUNS; i++) {
  corpusTimes.push(time(() => validateAll(corpus)));
  bigTimes.push(time(() => validateAll(big)));
  synthTimes.push(time(synthExample));
}

const synthMs = median(synthTimes);
const rows: Array<[string, string, string]> = [
  [`Parse + validate the ${corpus.length} corpus documents`, `${median(corpusTimes).toFixed(1)} ms`, `${(100 * median(corpusTimes) / synthMs).toFixed(1)} % of synth`],
  [`Parse + validate a generated document of 1,000 steps (${(big[0].text.length / 1024).toFixed(0)} KiB)`, `${median(bigTimes).toFixed(1)} ms`, `${(100 * median(bigTimes) / synthMs).toFixed(1)} % of synth`],
  ['Construct + synthesize the example app (examples/first-component)', `${synthMs.toFixed(1)} ms`, '100 %'],
];

const header = `# Benchmark results\n\nMachine: ${os.cpus()[0]?.model ?? 'unknown CPU'} x ${os.cpus().length}, ` +
  `Node ${process.version}, ${os.platform()} ${os.release()}\nDate: ${new Date().toISOString()}\nMedian of ${RUNS} alternated runs.\n`;
const table = ['| Measurement | Median | Relative |', '| --- | ---: | ---: |', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
const output = `${header}\n## Component document validation\n\n${table}\n`;

console.log(output);
fs.writeFileSync(path.join(__dirname, 'RESULTS.md'), output);
