/**
 * L2 versus L1: an app of N AMI pipelines built with this library, against the same CloudFormation
 * resources written with aws-cdk-lib's `Cfn*` classes. Compares the time to construct and
 * synthesize the app (in this process, a fresh App each time) and the size of the templates.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { App, Aws, Names, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as imagebuilder from 'aws-cdk-lib/aws-imagebuilder';
import { Construct } from 'constructs';
import {
  Component, ComponentData, DistributionConfiguration, ImagePipeline, ImageRecipe, InfrastructureConfiguration,
  ParentImage, PipelineSchedule, Platform,
} from '../src';

const PIPELINE_COUNTS = [1, 20, 50, 200];
const RUNS = 9;
/** CloudFormation allows 500 resources in a stack and a pipeline here has 7, so larger apps get more stacks. */
const PIPELINES_PER_STACK = 50;
const ENV = { account: '123456789012', region: 'us-east-1' };

const TARGETS = {
  /** L2/L1 synth time at `timeRatioPipelines` pipelines. */
  timeRatio: 1.15,
  timeRatioPipelines: 50,
  /** L2 time per pipeline at `growthTo` pipelines over that at `growthFrom`: linear growth. */
  growth: 1.2,
  growthFrom: 20,
  growthTo: 200,
  /** L2/L1 template bytes, at every N. */
  sizeRatio: 1.05,
};

const PARENT_IMAGE_PARAMETER = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64';
const COMPONENT_VERSION = '1.0.0';
const RECIPE_VERSION = '1.0.x';
const SCHEDULE = 'cron(0 4 ? * MON *)';
const INSTANCE_MANAGED_POLICIES = ['AmazonSSMManagedInstanceCore', 'EC2InstanceProfileForImageBuilder'];

/** Adds pipeline number `i` (component, recipe, infrastructure, distribution, pipeline) to `stack`. */
export type AddPipeline = (stack: Stack, i: number) => void;

/**
 * The figures of one pipeline count: medians of the runs (wall-clock time, and the CPU time of this
 * process, which other processes on a shared machine disturb less), template bytes of the app.
 */
export interface PipelineCase {
  readonly pipelines: number;
  readonly l2Ms: number;
  readonly l1Ms: number;
  readonly l2CpuMs: number;
  readonly l1CpuMs: number;
  readonly l2TemplateBytes: number;
  readonly l1TemplateBytes: number;
}

/** The raw figures and the report section. */
export interface PipelineBenchmark {
  readonly runs: number;
  readonly cases: PipelineCase[];
  readonly markdown: string;
}

/** A small valid AWSTOE document; the pipeline number makes each component's content its own. */
function componentYaml(i: number): string {
  return [
    `name: Hello${i}`,
    'description: Says hello and checks the working directory',
    'schemaVersion: 1.0',
    'phases:',
    '  - name: build',
    '    steps:',
    '      - name: Hello',
    '        action: ExecuteBash',
    '        inputs:',
    '          commands:',
    `            - echo "hello from pipeline ${i}"`,
    '  - name: validate',
    '    steps:',
    '      - name: CheckTmp',
    '        action: ExecuteBash',
    '        inputs:',
    '          commands:',
    '            - test -d /tmp',
    '',
  ].join('\n');
}

const amiName = (i: number) => `pipeline-${i}-{{ imagebuilder:buildDate }}`;

/** One pipeline with this library, every optional prop left to its default. */
export const addL2Pipeline: AddPipeline = (stack, i) => {
  const component = new Component(stack, `Component${i}`, {
    platform: Platform.LINUX,
    data: ComponentData.fromInline(componentYaml(i)),
  });
  const recipe = new ImageRecipe(stack, `Recipe${i}`, {
    parentImage: ParentImage.fromSsmParameterName(PARENT_IMAGE_PARAMETER, { platform: Platform.LINUX }),
    components: [{ component }],
  });
  new ImagePipeline(stack, `Pipeline${i}`, {
    imageRecipe: recipe,
    infrastructureConfiguration: new InfrastructureConfiguration(stack, `Infrastructure${i}`),
    distributionConfiguration: new DistributionConfiguration(stack, `Distribution${i}`, {
      amiDistributions: [{ amiName: amiName(i) }],
    }),
    schedule: PipelineSchedule.cron({ hour: '4', weekDay: 'MON' }),
  });
};

/**
 * The library's default names: unique in the app, lowercase. The L1 app computes the same names
 * so that both templates hold the same strings.
 */
function uniqueName(scope: Construct, maxLength = 128): string {
  return Names.uniqueResourceName(scope, { maxLength, separator: '-', allowedSpecialCharacters: '-' });
}

/**
 * The same pipeline with L1s: the resources, properties and values that the L2 app synthesizes,
 * including the instance role and instance profile that InfrastructureConfiguration creates and
 * the properties ImagePipeline sets to their defaults. The L1s sit at the construct paths of the
 * L2 app (`Component0/Resource`, `Infrastructure0/InstanceRole/Resource`, ...), so logical IDs and
 * generated names are the same strings and the templates differ only where the constructs do.
 *
 * The one difference left: the L2 instance role carries `Metadata.cdk_nag` (a suppression of
 * AwsSolutions-IAM4 for the two AWS-managed policies, with its reason), which CloudFormation does
 * not need and a plain L1 app does not write. It is counted in the L2 template size.
 */
export const addL1Pipeline: AddPipeline = (stack, i) => {
  const componentScope = new Construct(stack, `Component${i}`);
  const component = new imagebuilder.CfnComponent(componentScope, 'Resource', {
    name: uniqueName(componentScope).toLowerCase(),
    version: COMPONENT_VERSION,
    platform: 'Linux',
    data: componentYaml(i),
  });

  // The component's version ARN, so that a changed document (a new build) does not replace the recipe.
  const componentArn = stack.formatArn({
    service: 'imagebuilder', resource: 'component', resourceName: `${component.attrName}/${COMPONENT_VERSION}`,
  });
  const recipeScope = new Construct(stack, `Recipe${i}`);
  const recipe = new imagebuilder.CfnImageRecipe(recipeScope, 'Resource', {
    name: uniqueName(recipeScope).toLowerCase(),
    version: RECIPE_VERSION,
    parentImage: `ssm:${PARENT_IMAGE_PARAMETER}`,
    components: [{ componentArn }],
  });

  const infrastructure = addL1Infrastructure(stack, i);

  const distributionScope = new Construct(stack, `Distribution${i}`);
  const distribution = new imagebuilder.CfnDistributionConfiguration(distributionScope, 'Resource', {
    name: uniqueName(distributionScope).toLowerCase(),
    distributions: [{ region: stack.region, amiDistributionConfiguration: { Name: amiName(i) } }],
  });

  const pipelineScope = new Construct(stack, `Pipeline${i}`);
  new imagebuilder.CfnImagePipeline(pipelineScope, 'Resource', {
    name: uniqueName(pipelineScope).toLowerCase(),
    imageRecipeArn: recipe.attrArn,
    infrastructureConfigurationArn: infrastructure.attrArn,
    distributionConfigurationArn: distribution.attrArn,
    schedule: { scheduleExpression: SCHEDULE, pipelineExecutionStartCondition: 'EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE' },
    imageTestsConfiguration: { imageTestsEnabled: true },
    imageScanningConfiguration: { imageScanningEnabled: false },
    enhancedImageMetadataEnabled: true,
  });
};

/** The instance role with the two managed policies a build instance needs, its instance profile, IMDSv2 required. */
function addL1Infrastructure(stack: Stack, i: number): imagebuilder.CfnInfrastructureConfiguration {
  const scope = new Construct(stack, `Infrastructure${i}`);
  const role = new iam.CfnRole(new Construct(scope, 'InstanceRole'), 'Resource', {
    assumeRolePolicyDocument: {
      Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' } }],
      Version: '2012-10-17',
    },
    description: 'EC2 Image Builder build and test instances',
    managedPolicyArns: INSTANCE_MANAGED_POLICIES.map((policy) => `arn:${Aws.PARTITION}:iam::aws:policy/${policy}`),
  });
  // Instance profile names are global to the account: the region keeps two deployments apart.
  const instanceProfile = new iam.CfnInstanceProfile(new Construct(scope, 'InstanceProfile'), 'Resource', {
    instanceProfileName: `${uniqueName(scope, 108)}-${stack.region}`,
    roles: [role.ref],
  });
  return new imagebuilder.CfnInfrastructureConfiguration(scope, 'Resource', {
    name: uniqueName(scope).toLowerCase(),
    instanceProfileName: instanceProfile.ref,
    instanceMetadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 2 },
    terminateInstanceOnFailure: true,
  });
}

interface Measurement {
  readonly ms: number;
  readonly cpuMs: number;
  readonly templateBytes: number;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
}

/** Times construction and synthesis of a fresh app; the assembly goes to a folder removed afterwards. */
function synthesizeApp(addPipeline: AddPipeline, pipelines: number): Measurement {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pipelines-'));
  try {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const app = new App({ outdir });
    const stacks: Stack[] = [];
    for (let i = 0; i < pipelines; i++) {
      const s = Math.floor(i / PIPELINES_PER_STACK);
      stacks[s] ??= new Stack(app, `Pipelines${s}`, { env: ENV });
      addPipeline(stacks[s], i);
    }
    app.synth();
    const ms = performance.now() - start;
    return { ms, cpuMs: cpuMs(cpuStart), templateBytes: templateBytes(outdir) };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The templates of one pipeline, as objects. */
function synthesizeTemplates(addPipeline: AddPipeline): any[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pipelines-'));
  try {
    const app = new App({ outdir });
    addPipeline(new Stack(app, 'Pipelines0', { env: ENV }), 0);
    app.synth();
    return fs.readdirSync(outdir)
      .filter((file) => file.endsWith('.template.json'))
      .map((file) => JSON.parse(fs.readFileSync(path.join(outdir, file), 'utf-8')));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Keeps the comparison fair as the library changes: the L1 app must still write what the L2 app does. */
function sameTemplatesApartFromNagMetadata(): boolean {
  const withoutNag = (templates: any[]) => JSON.stringify(templates, (key, value) => {
    if (key !== 'Metadata' || typeof value !== 'object') {
      return value;
    }
    const { cdk_nag: _, ...rest } = value;
    return Object.keys(rest).length > 0 ? rest : undefined;
  });
  return withoutNag(synthesizeTemplates(addL2Pipeline)) === withoutNag(synthesizeTemplates(addL1Pipeline));
}

function templateBytes(outdir: string): number {
  return fs.readdirSync(outdir)
    .filter((file) => file.endsWith('.template.json'))
    .reduce((sum, file) => sum + fs.statSync(path.join(outdir, file)).size, 0);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Runs every pipeline count with L2 and L1 in turn, swapping which goes first each run so that
 * neither always pays for the other's garbage.
 */
function measureCases(): PipelineCase[] {
  const sides: Array<[string, AddPipeline]> = [['l2', addL2Pipeline], ['l1', addL1Pipeline]];
  const times = new Map<string, number[]>();
  const bytes = new Map<string, number>();
  const record = (key: string, value: number) => times.set(key, [...times.get(key) ?? [], value]);
  const run = (pipelines: number, [side, add]: [string, AddPipeline]) => {
    const measurement = synthesizeApp(add, pipelines);
    record(`${side}${pipelines}`, measurement.ms);
    record(`${side}${pipelines}cpu`, measurement.cpuMs);
    bytes.set(`${side}${pipelines}`, measurement.templateBytes);
  };

  PIPELINE_COUNTS.forEach((n) => sides.forEach((side) => synthesizeApp(side[1], n)));
  for (let r = 0; r < RUNS; r++) {
    const order = r % 2 === 0 ? sides : [...sides].reverse();
    PIPELINE_COUNTS.forEach((n) => order.forEach((side) => run(n, side)));
  }
  return PIPELINE_COUNTS.map((pipelines) => ({
    pipelines,
    l2Ms: median(times.get(`l2${pipelines}`)!),
    l1Ms: median(times.get(`l1${pipelines}`)!),
    l2CpuMs: median(times.get(`l2${pipelines}cpu`)!),
    l1CpuMs: median(times.get(`l1${pipelines}cpu`)!),
    l2TemplateBytes: bytes.get(`l2${pipelines}`)!,
    l1TemplateBytes: bytes.get(`l1${pipelines}`)!,
  }));
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const ratio = (value: number) => value.toFixed(2);
const met = (ok: boolean) => ok ? 'met' : '**not met**';
const perPipeline = (value: number, c: PipelineCase) => value / c.pipelines;
const sizeRatio = (c: PipelineCase) => c.l2TemplateBytes / c.l1TemplateBytes;

function caseRow(c: PipelineCase): string {
  return `| ${c.pipelines} | ${ms(c.l2Ms)} | ${ms(c.l1Ms)} | ${ratio(c.l2Ms / c.l1Ms)} | ${ratio(c.l2CpuMs / c.l1CpuMs)} | ` +
    `${ms(perPipeline(c.l2Ms, c))} | ${ms(perPipeline(c.l1Ms, c))} | ` +
    `${Math.round(perPipeline(c.l2TemplateBytes, c))} | ${Math.round(perPipeline(c.l1TemplateBytes, c))} | ${ratio(sizeRatio(c))} |`;
}

function targetRows(cases: PipelineCase[]): string[] {
  const at = (n: number) => cases.find((c) => c.pipelines === n)!;
  const timeRatio = at(TARGETS.timeRatioPipelines).l2Ms / at(TARGETS.timeRatioPipelines).l1Ms;
  const from = at(TARGETS.growthFrom);
  const to = at(TARGETS.growthTo);
  const growth = perPipeline(to.l2Ms, to) / perPipeline(from.l2Ms, from);
  const worstSize = Math.max(...cases.map(sizeRatio));
  return [
    `| L2/L1 synth time at N = ${TARGETS.timeRatioPipelines} at most ${TARGETS.timeRatio} | ${ratio(timeRatio)} | ` +
      `${met(timeRatio <= TARGETS.timeRatio)} |`,
    `| L2 time per pipeline at N = ${TARGETS.growthTo} within ${TARGETS.growth}× of N = ${TARGETS.growthFrom} | ` +
      `${ratio(growth)}× (${ms(perPipeline(to.l2Ms, to))} vs ${ms(perPipeline(from.l2Ms, from))}) | ${met(growth <= TARGETS.growth)} |`,
    `| L2/L1 template size at most ${TARGETS.sizeRatio} (worst N) | ${ratio(worstSize)} | ${met(worstSize <= TARGETS.sizeRatio)} |`,
  ];
}

function markdown(cases: PipelineCase[], sameApartFromNag: boolean): string {
  return [
    '## L2 versus L1: N AMI pipelines',
    '',
    'Each pipeline: a component (inline YAML), an image recipe (SSM parameter parent image), an infrastructure ' +
      'configuration (with the instance role and instance profile it creates), a distribution configuration (one AMI ' +
      'distribution) and a scheduled image pipeline; the L1 app writes the same resources with `aws_imagebuilder.Cfn*` ' +
      'and `aws_iam.Cfn*`. Construction + `app.synth()` in this process, a fresh App each time, at most ' +
      `${PIPELINES_PER_STACK} pipelines a stack; L2 and L1 alternated, median of ${RUNS} runs after a warm-up. ` +
      'Times are wall-clock; the CPU-time ratio (this process only) is less disturbed by other work on the machine. ' +
      'Template bytes: all templates of the app divided by N. ' +
      `Templates of one pipeline identical apart from the L2's \`cdk_nag\` metadata: ${sameApartFromNag ? 'yes' : '**no**'}.`,
    '',
    '| Pipelines (N) | L2 | L1 | L2/L1 | L2/L1 CPU time | L2 per pipeline | L1 per pipeline | L2 bytes/pipeline | L1 bytes/pipeline | Size L2/L1 |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...cases.map(caseRow),
    '',
    '| Target | Measured | Result |',
    '| --- | --- | --- |',
    ...targetRows(cases),
    '',
  ].join('\n');
}

/** Runs the benchmark: the raw figures, and a markdown section with the table and the targets. */
export function runPipelineBenchmark(): PipelineBenchmark {
  const cases = measureCases();
  return { runs: RUNS, cases, markdown: markdown(cases, sameTemplatesApartFromNagMetadata()) };
}
