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
import { App, AssetStaging, Stack } from 'aws-cdk-lib';
import { buildApp } from '../examples/first-component/app';
import { buildApp as buildGoldenAmi } from '../examples/golden-ami/app';
import { buildApp as buildImageFactory } from '../examples/image-factory/app';
import { Component, ComponentData, ComponentDocument, ComponentPhaseName, ComponentStep, Platform } from '../src';
import { handlerSection, measureHandler } from './handler';
import { cpuMs, runPipelineBenchmark } from './pipelines';

const RUNS = 15;
const WARM_UP_ROUNDS = 5;
/** What "a small fraction of a stack's synth time" means here. */
const VALIDATION_SHARE_TARGET = 0.25;
const CORPUS_DIR = path.join(__dirname, '..', '..', 'shared', 'corpus', 'awstoe');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The wall-clock time of one call and the CPU time of this process during it, in ms. */
function time(fn: () => void): { wall: number; cpu: number } {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  fn();
  const wall = performance.now() - start;
  return { wall, cpu: cpuMs(cpuStart) };
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

function generatedDocument(steps: number): ComponentDocument {
  const document = new ComponentDocument({ name: 'generated' });
  document.addParameter('Greeting', { defaultValue: 'hello' });
  for (let i = 0; i < steps; i++) {
    document.addSteps(ComponentPhaseName.BUILD, ComponentStep.executeBash(`Step${i}`, {
      commands: [`echo "{{ Greeting }} from step ${i}"`, i > 0 ? `echo "{{ build.Step${i - 1}.outputs.stdout }}"` : 'true'],
    }));
  }
  return document;
}

function validateAll(documents: Array<{ text: string; platform: Platform }>): void {
  for (const { text, platform } of documents) {
    const errors = ComponentDocument.fromYaml(text).validate({ platform }).filter((f) => f.severity === 'error');
    if (errors.length > 0) {
      throw new Error(`benchmark document does not validate: ${errors[0].message}`);
    }
  }
}

/** Synthesizes an app in a throw-away folder; `build` adds the constructs to its stack. */
function synth(build: (stack: Stack) => void): void {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
  try {
    const app = new App({ outdir });
    build(new Stack(app, 'Bench', { env: { account: '123456789012', region: 'us-east-1' } }));
    app.synth();
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function synthApp(build: (outdir: string) => App): () => void {
  return () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
    try {
      build(outdir).synth();
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  };
}

const corpus = corpusDocuments();
const bigDocument = generatedDocument(1000);
const big = [{ text: bigDocument.toYaml(), platform: Platform.LINUX }];

/** The stacks whose synth time the validation is compared with: the same documents as components. */
const synthCorpusStack = () => synth((stack) => corpus.forEach(({ text, platform }, i) =>
  new Component(stack, `Corpus${i}`, { platform, data: ComponentData.fromInline(text) })));
/**
 * The 1,000-step text as a component, like for like: read from that text, so that the synth
 * parses and validates it too. ComponentData.fromInline rejects it (inline data is limited to
 * 16,000 characters), so it is a local file asset, the path that validates local text. The asset
 * hash cache is cleared so that each run hashes the file, as a real (single) synth does.
 */
const bigFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-document-')), 'big.yml');
fs.writeFileSync(bigFile, big[0].text);
process.on('exit', () => fs.rmSync(path.dirname(bigFile), { recursive: true, force: true }));
const synthBigStack = (validateDocument = true) => synth((stack) => {
  AssetStaging.clearAssetHashCache();
  new Component(stack, 'Big', { platform: Platform.LINUX, data: ComponentData.fromAsset(bigFile), validateDocument });
});
/** The same document built in code, for the case that validates it without parsing. */
const synthBigModelStack = () => synth((stack) =>
  new Component(stack, 'Big', { platform: Platform.LINUX, data: ComponentData.fromDocument(bigDocument) }));

const cases: Record<string, () => void> = {
  corpusValidate: () => validateAll(corpus),
  corpusSynth: synthCorpusStack,
  bigFromText: () => validateAll(big),
  bigModel: () => bigDocument.validate({ platform: Platform.LINUX }),
  bigSynth: () => synthBigStack(),
  bigSynthUnchecked: () => synthBigStack(false),
  bigModelSynth: synthBigModelStack,
  example: synthApp(buildApp),
  factory: synthApp(buildImageFactory),
  golden: synthApp(buildGoldenAmi),
};

// Warm up module loading and the JIT until the times settle (the first rounds run several times
// slower), then alternate the cases run by run: the medians are of steady runs.
for (let i = 0; i < WARM_UP_ROUNDS; i++) {
  Object.values(cases).forEach((run) => run());
}
const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
const cpuTimes: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let i = 0; i < RUNS; i++) {
  for (const [name, run] of Object.entries(cases)) {
    const { wall, cpu } = time(run);
    times[name].push(wall);
    cpuTimes[name].push(cpu);
  }
}
const m = (name: string) => median(times[name]);
const ms = (value: number) => `${value.toFixed(1)} ms`;
const share = (part: number, whole: number) => `${(100 * part / whole).toFixed(0)} % of ${ms(whole)}`;
/** The same share in CPU time of this process, which other work on a shared machine disturbs less. */
const cpuShare = (part: string, whole: string) => `${(100 * median(cpuTimes[part]) / median(cpuTimes[whole])).toFixed(0)} %`;

const kib = (big[0].text.length / 1024).toFixed(0);
const target = (part: number, whole: number) =>
  (part / whole <= VALIDATION_SHARE_TARGET ? 'met' : 'NOT met') + ` (target at most ${100 * VALIDATION_SHARE_TARGET} %)`;
const rows: Array<[string, string, string, string, string]> = [
  [`Parse + validate the ${corpus.length} corpus documents`, ms(m('corpusValidate')),
    `${share(m('corpusValidate'), m('corpusSynth'))} (synth of a stack with them as ${corpus.length} components)`,
    cpuShare('corpusValidate', 'corpusSynth'), target(m('corpusValidate'), m('corpusSynth'))],
  [`Parse + validate a 1,000-step document from YAML text (${kib} KiB)`, ms(m('bigFromText')),
    `${share(m('bigFromText'), m('bigSynth'))} (synth of a stack holding only that component, read from that text)`,
    cpuShare('bigFromText', 'bigSynth'), target(m('bigFromText'), m('bigSynth'))],
  ['The same, compared with the golden AMI example', ms(m('bigFromText')),
    `${share(m('bigFromText'), m('golden'))} (construct + synthesize examples/golden-ami)`,
    cpuShare('bigFromText', 'golden'), target(m('bigFromText'), m('golden'))],
  ['Synthesize the one-component stack with validateDocument: false', ms(m('bigSynthUnchecked')), '', '', ''],
  ['Validate the same document built in code (no parsing)', ms(m('bigModel')),
    `${share(m('bigModel'), m('bigModelSynth'))} (synth of a stack with it as a component built in code)`,
    cpuShare('bigModel', 'bigModelSynth'), target(m('bigModel'), m('bigModelSynth'))],
  ['Construct + synthesize examples/first-component (2 components, 1 recipe)', ms(m('example')), '', '', ''],
  ['Construct + synthesize examples/image-factory (2 pipelines, 1 image, distribution, lifecycle)', ms(m('factory')),
    `corpus validation is ${share(m('corpusValidate'), m('factory'))}`, cpuShare('corpusValidate', 'factory'), target(m('corpusValidate'), m('factory'))],
  ['Construct + synthesize examples/golden-ami (the GoldenAmiPipeline pattern)', ms(m('golden')), '', '', ''],
];

const header = `# Benchmark results\n\nMachine: ${os.cpus()[0]?.model ?? 'unknown CPU'} x ${os.cpus().length}, ` +
  `Node ${process.version}, ${os.platform()} ${os.release()}\nDate: ${new Date().toISOString()}\n` +
  `Median of ${RUNS} runs after ${WARM_UP_ROUNDS} warm-up rounds, the cases alternated within each run.\n`;
const tableNote = 'Times are wall-clock, and the targets are judged on them; the share in CPU time of this process is less ' +
  'disturbed by other work on a shared machine.\n';
const table = [
  '| Measurement | Median | Compared with synthesis | Same share in CPU time | Target |',
  '| --- | ---: | --- | ---: | --- |',
  ...rows.map((r) => `| ${r.join(' | ')} |`),
].join('\n');
const output = `${header}\n## Component document validation\n\n${tableNote}\n${table}\n`;

const report = `${output}\n${runPipelineBenchmark().markdown}\n${handlerSection(measureHandler(RUNS))}`;
console.log(report);
fs.writeFileSync(path.join(__dirname, 'RESULTS.md'), report);
